from django.apps import AppConfig


class RevisionsConfig(AppConfig):
    name = "tandem.revisions"
    label = "revisions"
    verbose_name = "Revision requests"
