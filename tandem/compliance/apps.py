from django.apps import AppConfig


class ComplianceConfig(AppConfig):
    name = "tandem.compliance"
    label = "compliance"
    verbose_name = "Compliance: deadlines at a glance"
