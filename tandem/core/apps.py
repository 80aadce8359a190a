from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Foundations every app builds on: base models, the clock, forms and the busy database."""

    name = "tandem.core"
    label = "core"
    verbose_name = "Core"
