"""Reads for the officers' back office."""

from __future__ import annotations

from communes.models import CommuneProcedure, Disclosure, FacilityKind, OneStopShop, Procedure
from core import clock


def shop_status(*, commune) -> dict:
    """How complete the commune's one-stop-shop records are, for the back-office dashboard."""
    shop = OneStopShop.objects.select_related("verified_by").filter(commune=commune).first()
    status = {"shop": shop}
    if shop is not None:
        # Separate counts: one query with five joined counts would multiply the rows of each.
        status |= {
            "sessions": shop.opening_hours.count(),
            "facilities_answered": shop.facilities.count(),
            "facilities_available": shop.facilities.filter(available=True).count(),
            "duty_days": shop.duty_leaders.count(),
            "officers": shop.officers.count(),
            "upcoming_special_days": shop.opening_exceptions.filter(date__gte=clock.today()).count(),
        }
    status |= {
        "procedures": CommuneProcedure.objects.filter(commune=commune).count(),
        "catalogue": Procedure.objects.filter(province_id=commune.province_id).count(),
        "disclosures": Disclosure.objects.filter(commune=commune).count(),
        "facility_kinds": len(FacilityKind),
    }
    return status
