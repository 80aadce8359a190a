from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo districts' builders, apart from the product: `manage.py seed_demo`."""

    name = "tandem.demo"
    label = "demo"
    verbose_name = "Demo districts"
