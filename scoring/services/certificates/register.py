"""The province's register of star certificates: each certificate gets the next number of its
province's register for the year of the decision it carries out ("Số vào sổ: 12/GCN-UBND").

The register's row is locked while numbers are given, so two batches of the same province and year
(or a batch and a late re-issue) wait for each other instead of sharing a number; the database's unique
constraint on (register, number) holds even if a caller forgot the lock.
"""

from __future__ import annotations

import datetime

from core import clock
from scoring.models import Certificate, CertificateRegister, Decision


def register_day(decision: Decision) -> datetime.date:
    """The day the certificates bear: the decision's date (given when it is issued); today for a
    decision that has none yet."""
    return decision.signed_on or clock.today()


def register_locked(decision: Decision) -> CertificateRegister:
    """The register for ``decision``'s province and year, created if new, locked until the commit."""
    return CertificateRegister.locked(province_id=decision.province_id, year=register_day(decision).year)


def register_assign(register: CertificateRegister, certificates: list[Certificate]) -> None:
    """Give each star certificate of ``certificates`` without a number the register's next one, in the
    list's order (the decision's order), and save them. ``register`` is locked by the caller."""
    missing = [c for c in certificates if c.kind == Certificate.Kind.CERTIFICATE and c.register_number is None]
    if not missing:
        return
    for certificate in missing:
        register.last_number += 1
        certificate.register, certificate.register_number = register, register.last_number
        certificate.save(update_fields=["register", "register_number"])
    register.save(update_fields=["last_number"])
