"""A body's register for a calendar year: numbers run per issuing body per year (Decree 30/2020/NĐ-CP),
for decisions ("N/QĐ-UBND") as for the certificates that carry them out ("N/GCN-UBND")."""

from __future__ import annotations

from django.db import models, transaction
from django.utils.translation import gettext_lazy as _


class YearRegister(models.Model):
    """``last_number`` is the last number given in ``year``. Its row is locked while numbers are taken,
    so two clerks (or two batches) of the same province and year wait for each other instead of sharing a
    number. Each register adds its ``province`` and its one-per-year constraint."""

    year = models.PositiveSmallIntegerField(_("year"))
    last_number = models.PositiveIntegerField(_("last number given"), default=0)

    class Meta:
        abstract = True

    @classmethod
    def locked(cls, *, province_id: int, year: int):
        """The province's register of ``year``, created if new, locked until the transaction commits."""
        if not transaction.get_connection().in_atomic_block:
            raise RuntimeError("A register is locked inside a transaction only.")
        register, _created = cls.objects.get_or_create(province_id=province_id, year=year)
        return cls.objects.select_for_update().get(pk=register.pk)
