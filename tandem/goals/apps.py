from django.apps import AppConfig


class GoalsConfig(AppConfig):
    name = "tandem.goals"
    label = "goals"
    verbose_name = "Goal editor and goal bank"
