from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunesConfig(AppConfig):
    name = "communes"
    verbose_name = _("Administrative units and communes")

    def ready(self):
        from communes.models import (
            CommuneProcedure,
            CounterOfficer,
            Disclosure,
            DossierStatistics,
            DutyLeader,
            Facility,
            OneStopShop,
            OpeningException,
            OpeningHours,
        )
        from core import pagecache

        # A commune's one-stop records show on its own page only (home, province and scoring pages read
        # units, and scoring reads the statistics through its snapshots, which bump "site"); units, the
        # procedure catalogue and the codes of conduct show on many pages.
        own = dict.fromkeys((OneStopShop, CommuneProcedure, Disclosure, DossierStatistics), commune_scopes)
        of_shop = dict.fromkeys((OpeningHours, OpeningException, Facility, DutyLeader, CounterOfficer), shop_scopes)
        pagecache.watch_app(self.label, scopes={**own, **of_shop})


def commune_scopes(row) -> tuple[str, ...]:
    return (f"commune:{row.commune_id}",)


def shop_scopes(row) -> tuple[str, ...]:
    from communes.models import OneStopShop

    try:
        return (f"commune:{row.shop.commune_id}",)
    except OneStopShop.DoesNotExist:  # deleted with its shop: the shop's own delete bumped its commune
        return ()
