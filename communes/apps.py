from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunesConfig(AppConfig):
    name = "communes"
    verbose_name = _("Administrative units and communes")

    def ready(self):
        from core import pagecache

        # Units, one-stop pages, procedures, disclosures: any change shows on many public pages.
        pagecache.watch_app(self.label)
