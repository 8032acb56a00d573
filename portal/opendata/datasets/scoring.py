"""The annual friendly-government recognition: results open to the public (provisional and final, as
the public ranking page shows them), their points by group of criteria, the provinces' rankings, and the
star certificates as their public verification page describes them. Nothing of who assessed, reviewed
or appraised, and no evidence."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import Max, Sum
from django.utils.translation import gettext_lazy as _

from portal.opendata.datasets.common import chunks, day_of, in_province, joined, local, public_url
from portal.opendata.datasets.one_stop import COMMUNE_CODE
from portal.opendata.registry import DATE, DATETIME, INTEGER, NUMBER, STRING, Dataset, Field
from scoring.models import Assessment, Certificate, Line
from scoring.models.assessments import PUBLIC_STATUSES
from scoring.selectors.public import LINE_POINTS, rankings

THEME = _("Friendly-government recognition")
YEAR = Field("year", INTEGER, _("Year assessed."), "2025")
PROVINCE_CODE = Field("province_code", STRING, _("Official code of the province that assessed it."), "24")
UNIT_NAME = Field(
    "unit_name",
    STRING,
    _("The unit as it was named in the assessed year."),
    "phường Quảng Minh, thị xã Việt Yên, tỉnh Bắc Giang",
)
STATUS = Field(
    "status", STRING, _("provisional (open for the commune's comments, may still change) or final."), "final"
)
TOTAL = Field("total", NUMBER, _("Points."), "92.5")
STARS = Field("stars", INTEGER, _("Stars, 1 to 5 (0: not recognised)."), "4")


def _public_results():
    return Assessment.objects.filter(status__in=PUBLIC_STATUSES)


def result_rows(province: str | None) -> Iterator[tuple]:
    assessments = (
        _public_results()
        .select_related("criteria_set__province", "commune", "decision_entry__decision")
        .order_by("-year", "criteria_set__province__code", "commune__code", "pk")
    )
    for assessment in chunks(in_province(assessments, province, "criteria_set__province")):
        entry = getattr(assessment, "decision_entry", None)
        # As the result page: a decision is named once the leader has approved it.
        decision = entry.decision if entry is not None and entry.decision.is_approved else None
        yield (
            assessment.year,
            assessment.criteria_set.province.code,
            assessment.commune.code,
            assessment.unit_name,
            assessment.criteria_set.name_vi,
            assessment.status,
            assessment.total,
            assessment.stars or 0,
            joined(assessment.knockouts),
            day_of(assessment.published_at),
            day_of(assessment.finalized_at),
            decision.number if decision else "",
            decision.signed_on if decision else None,
            public_url("scoring:result", pk=assessment.commune_id, year=assessment.year),
        )


def group_rows(province: str | None) -> Iterator[tuple]:
    lines = (
        Line.objects.filter(assessment__status__in=PUBLIC_STATUSES)
        .values(
            "assessment__year",
            "assessment__criteria_set__province__code",
            "assessment__commune__code",
            "criterion__group__position",
            "criterion__group__code",
            "criterion__group__name_vi",
            "criterion__group__name_en",
            "criterion__group__max_points",
        )
        .annotate(points=Sum(LINE_POINTS))
        .order_by(
            "-assessment__year",
            "assessment__criteria_set__province__code",
            "assessment__commune__code",
            "criterion__group__position",
            "criterion__group__code",
        )
    )
    for row in chunks(in_province(lines, province, "assessment__criteria_set__province")):
        yield (
            row["assessment__year"],
            row["assessment__criteria_set__province__code"],
            row["assessment__commune__code"],
            row["criterion__group__code"],
            row["criterion__group__name_vi"],
            row["criterion__group__name_en"],
            row["points"],
            row["criterion__group__max_points"],
        )


def ranking_rows(province: str | None) -> Iterator[tuple]:
    # One province and year at a time, ranked by the public page's own selector (ties share a rank).
    years = (
        _public_results()
        .order_by("-year", "criteria_set__province__code", "criteria_set__province_id")
        .values_list("year", "criteria_set__province")
        .distinct()
    )
    for year, province_id in list(in_province(years, province, "criteria_set__province")):
        ranking = rankings(province=province_id, year=year)
        if ranking.criteria_set is None:
            continue
        code = ranking.criteria_set.province.code
        for row in ranking.rows:
            assessment = row.assessment
            district = row.commune.district
            yield (
                year,
                code,
                row.rank,
                row.commune.code,
                assessment.unit_name,
                district.code if district else "",
                assessment.total,
                assessment.stars or 0,
                assessment.status,
            )


def certificate_rows(province: str | None) -> Iterator[tuple]:
    certificates = (
        Certificate.objects.filter(
            kind=Certificate.Kind.CERTIFICATE, status__in=[Certificate.Status.VALID, Certificate.Status.REVOKED]
        )
        .select_related("commune", "decision__province")
        .order_by("-year", "decision__province__code", "serial")
    )
    for certificate in chunks(in_province(certificates, province, "decision__province")):
        decision = certificate.decision
        yield (
            certificate.serial,
            certificate.year,
            decision.province.code,
            certificate.commune.code if certificate.commune_id else "",
            certificate.unit_name,
            certificate.stars,
            certificate.register_label,
            decision.number,
            decision.signed_on,
            certificate.sha256,
            local(certificate.issued_at),
            certificate.status,
            day_of(certificate.revoked_at),
            public_url("scoring:verify", serial=certificate.serial),
        )


def _results_modified():
    """The last publication, end of the comment period or finalisation: a public result changes only
    through them (the cycle's bulk steps write no history rows)."""
    times = _public_results().aggregate(
        published=Max("published_at"), closed=Max("comments_closed_at"), final=Max("finalized_at")
    )
    return max((moment for moment in times.values() if moment), default=None)


def _certificates_modified():
    times = Certificate.objects.filter(kind=Certificate.Kind.CERTIFICATE).aggregate(
        issued=Max("issued_at"), revoked=Max("revoked_at")
    )
    return max((moment for moment in times.values() if moment), default=None)


RESULTS = Dataset(
    slug="results",
    title=_("Recognition results of the communes"),
    description=_(
        "Each commune's result of the annual friendly-government assessment once the Department of Home "
        "Affairs has published it: points, stars, the conditions for recognition it failed, and the "
        "decision that recognised it."
    ),
    theme=THEME,
    fields=(
        YEAR,
        PROVINCE_CODE,
        COMMUNE_CODE,
        UNIT_NAME,
        Field("criteria_set", STRING, _("Name of the criteria set of the year."), ""),
        STATUS,
        TOTAL,
        STARS,
        Field(
            "knockouts",
            STRING,
            _("Codes of the conditions for recognition not met, separated by ';' (empty: none)."),
            "",
        ),
        Field("published_on", DATE, _("Day the provisional result was published."), "2025-12-01"),
        Field("final_on", DATE, _("Day the result became final (empty: still provisional)."), "2025-12-20"),
        Field("decision_number", STRING, _("Number of the approved recognition decision."), "125/QĐ-UBND"),
        Field("decision_date", DATE, _("Date of the decision."), "2025-12-30"),
        Field("url", STRING, _("Address of the result's public page."), ""),
    ),
    rows=result_rows,
    modified=_results_modified,
)

RESULT_GROUPS = Dataset(
    slug="result-groups",
    title=_("Recognition results by group of criteria"),
    description=_("The points of each public result in each group of criteria, with the group's maximum."),
    theme=THEME,
    fields=(
        YEAR,
        PROVINCE_CODE,
        COMMUNE_CODE,
        Field("group_code", STRING, _("Code of the group of criteria."), "G1"),
        Field("group_name_vi", STRING, _("Name of the group in Vietnamese."), ""),
        Field("group_name_en", STRING, _("Name of the group in English."), ""),
        Field("points", NUMBER, _("Points in the group."), "18.5"),
        Field("max_points", NUMBER, _("Maximum points of the group."), "20"),
    ),
    rows=group_rows,
    modified=_results_modified,
)

RANKINGS = Dataset(
    slug="rankings",
    title=_("Rankings of the communes by province and year"),
    description=_(
        "The provinces' public rankings: communes ranked by stars, then by points; equal results share a "
        "rank. Provisional results are ranked too, as on the public ranking pages."
    ),
    theme=THEME,
    fields=(
        YEAR,
        PROVINCE_CODE,
        Field("rank", INTEGER, _("Rank in the province that year."), "1"),
        COMMUNE_CODE,
        UNIT_NAME,
        Field("district_code", STRING, _("Code of the district (empty after 2025)."), "222"),
        TOTAL,
        STARS,
        STATUS,
    ),
    rows=ranking_rows,
    modified=_results_modified,
)

CERTIFICATES = Dataset(
    slug="certificates",
    title=_("Star certificates"),
    description=_(
        "The star certificates the portal issued and sealed, as their public verification page describes "
        "them: serial number, unit, year, stars, decision and the SHA-256 of the file, so that anyone can "
        "check a copy. A revoked certificate stays listed, marked revoked."
    ),
    theme=THEME,
    fields=(
        Field("serial", STRING, _("Serial number of the certificate."), "GCN-2025-24-0001"),
        YEAR,
        PROVINCE_CODE,
        COMMUNE_CODE,
        UNIT_NAME,
        STARS,
        Field("register_number", STRING, _("Number in the province's register of certificates."), "12/GCN-UBND"),
        Field("decision_number", STRING, _("Number of the recognition decision."), "125/QĐ-UBND"),
        Field("decision_date", DATE, _("Date of the decision."), "2025-12-30"),
        Field("sha256", STRING, _("SHA-256 of the sealed PDF file."), ""),
        Field("issued_at", DATETIME, _("When it was issued and sealed."), "2025-12-31T08:00:00+07:00"),
        Field("status", STRING, _("valid or revoked."), "valid"),
        Field("revoked_on", DATE, _("Day it was revoked (empty: valid)."), ""),
        Field("verify_url", STRING, _("Address of its public verification page."), ""),
    ),
    rows=certificate_rows,
    modified=_certificates_modified,
)

DATASETS = (RESULTS, RESULT_GROUPS, RANKINGS, CERTIFICATES)
