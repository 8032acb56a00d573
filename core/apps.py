from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """The bottom layer: helpers every app may import. It imports no app of the project."""

    name = "core"
    verbose_name = _("Core")

    def ready(self):
        from core.api import schema  # noqa: F401 (registers the schema's authentication extensions)
