from django.apps import AppConfig


class CommunicationConfig(AppConfig):
    name = "tandem.communication"
    label = "communication"
    verbose_name = "Communication"
