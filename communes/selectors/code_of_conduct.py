"""Reads of a province's code of conduct for one-stop officers: its versions and the one in force."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Prefetch

from communes.models import CodeOfConduct, Province


def code_of_conduct_in_force(*, province: Province, day: datetime.date) -> CodeOfConduct | None:
    return CodeOfConduct.objects.filter(province=province, in_force_from__lte=day).order_by("-in_force_from").first()


@dataclass(frozen=True)
class CodeVersion:
    code: CodeOfConduct
    status: str
    """"in_force", "future" (not yet in force) or "replaced"."""


@dataclass(frozen=True)
class CodeOfConductPage:
    province: Province
    successors: list[Province]
    versions: list[CodeVersion]
    shown: CodeVersion | None
    in_force: CodeOfConduct | None


def code_of_conduct_page(*, province_pk: int, version: int | None = None, today: datetime.date) -> CodeOfConductPage:
    """The province's codes of conduct, newest first, the one in force on ``today`` and the one asked for
    (the one in force by default). Raises Province.DoesNotExist, or CodeOfConduct.DoesNotExist when the
    province has no code or not the asked version."""
    province = Province.objects.prefetch_related(
        Prefetch("successors", queryset=Province.objects.order_by("code"))
    ).get(pk=province_pk)
    codes = list(province.codes_of_conduct.order_by("-in_force_from", "-version"))
    if not codes:
        raise CodeOfConduct.DoesNotExist
    in_force = next((code for code in codes if code.in_force_from <= today), None)
    versions = [
        CodeVersion(
            code=code,
            status="in_force" if code == in_force else "future" if code.in_force_from > today else "replaced",
        )
        for code in codes
    ]
    if version is None:
        shown = next((row for row in versions if row.code == in_force), None)
    else:
        shown = next((row for row in versions if row.code.version == version), None)
        if shown is None:
            raise CodeOfConduct.DoesNotExist
    return CodeOfConductPage(
        province=province,
        successors=list(province.successors.all()),
        versions=versions,
        shown=shown,
        in_force=in_force,
    )
