from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo's tenants, people, meetings and a year of history (``manage.py seed_demo``).

    It uses every app and no app uses it: the product runs without it.
    """

    name = "demo"
