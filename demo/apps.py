from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The demo's tenants, people, meetings and a year of history (``manage.py seed_demo``).

    It uses every app and no app uses it: the product runs without it.
    """

    name = "demo"
    verbose_name = _("Demo data")
