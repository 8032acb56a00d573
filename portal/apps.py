from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The top of the house: settings, URLs, the Celery app, home, workspace and composed pages.

    Its label is ``site`` because ``portal`` belongs to the accounts app (see accounts/apps.py)."""

    name = "portal"
    label = "site"
    verbose_name = _("Portal")
