from django.apps import AppConfig


class ServicesConfig(AppConfig):
    name = "tandem.services"
    label = "services"
    verbose_name = "Service delivery"
