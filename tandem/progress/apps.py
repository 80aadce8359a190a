from django.apps import AppConfig


class ProgressConfig(AppConfig):
    name = "tandem.progress"
    label = "progress"
    verbose_name = "Progress monitoring"
