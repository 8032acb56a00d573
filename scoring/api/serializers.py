"""What the API says about public results, rankings and sealed documents: what the public pages show
(scoring/public/*.html, the verification page), never who did what in the cycle.

Points are JSON numbers with two decimals; a provisional result says so, with its comment period, as
the pages do; a decision is named only once the leader has approved it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from communes.api.serializers import UnitRefOut
from scoring.models import Assessment, Certificate, Measure, Status
from scoring.services.computation.metrics import detail_rows

SHA256 = re.compile(r"^[0-9a-fA-F]{64}$")
ONE_OF_THE_TWO = _("Send the file or its SHA-256: one of the two.")

# The verdicts on a file (or its hash) checked against every document the portal issued: the
# verification page's codes, each with its label (the page's) and a sentence of its own.
VERDICTS = {
    "authentic": (
        _("Genuine"),
        _("The file is exactly a document the portal issued, sealed by the portal and unchanged."),
    ),
    "superseded": (
        _("Replaced by the signed decision"),
        _(
            "The file is the copy of a decision the portal sealed, unchanged, but the decision as signed in the "
            "province's e-office system has since been published in its place."
        ),
    ),
    "signed": (
        _("Genuine"),
        _("The file is a decision exactly as signed in the province's e-office system: the copy the portal publishes."),
    ),
    "revoked": (
        pgettext_lazy("verdict", "Revoked"),
        _("The file is a document the portal issued, but it was revoked: it is no longer valid."),
    ),
    "modified": (
        pgettext_lazy("verdict", "Modified"),
        _(
            "The file carries a digital seal that no longer matches its content: it was changed after it was "
            "sealed. Do not rely on it."
        ),
    ),
    "not-issued": (
        _("Not issued by the portal, or modified"),
        _("The file matches no document the portal issued. Do not rely on it."),
    ),
}


def points_field(**kwargs) -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=8, decimal_places=2, coerce_to_string=False, **kwargs)


# --- Decisions and results -----------------------------------------------------------------------


class DecisionOut(serializers.Serializer):
    """An approved recognition decision of the province's People's Committee."""

    number = serializers.CharField()
    signed_on = serializers.DateField(allow_null=True)
    document_url = serializers.SerializerMethodField(help_text="The published decision (PDF).")

    def get_document_url(self, decision) -> str:
        return reverse("scoring:decision_document", kwargs={"pk": decision.pk})


def approved_decision(assessment: Assessment):
    """The approved decision that recognised the result, if any (a draft or unapproved one is not public)."""
    entry = getattr(assessment, "decision_entry", None)
    return entry.decision if entry is not None and entry.decision.is_approved else None


class StandingOut(serializers.Serializer):
    """Where a public result stands: provisional (open for the commune's comments) or final."""

    # Plain strings, not enums: the feedback API's "status" already names an enum in the schema.
    status = serializers.CharField(help_text="`provisional` (open for the commune's comments, may change) or `final`.")
    status_label = serializers.CharField(source="get_status_display")
    comments_until = serializers.SerializerMethodField(help_text="Provisional: the last day for comments.")
    comments_closed_on = serializers.SerializerMethodField(
        help_text="Provisional: the day the comment period was closed early."
    )
    decision = serializers.SerializerMethodField()

    @extend_schema_field(serializers.DateField(allow_null=True))
    def get_comments_until(self, assessment):
        return assessment.comments_until if assessment.status == Status.PROVISIONAL else None

    @extend_schema_field(serializers.DateField(allow_null=True))
    def get_comments_closed_on(self, assessment):
        closed = assessment.comments_closed_at
        if assessment.status != Status.PROVISIONAL or closed is None:
            return None
        return serializers.DateField().to_representation(closed.date())

    @extend_schema_field(DecisionOut(allow_null=True))
    def get_decision(self, assessment) -> dict | None:
        decision = approved_decision(assessment)
        return DecisionOut(decision).data if decision else None


class ResultSummaryOut(serializers.Serializer):
    """One public result in a commune's history (its own, or a unit's it took over)."""

    year = serializers.IntegerField()
    commune_id = serializers.IntegerField(help_text="The unit assessed.")
    unit_name = serializers.CharField(help_text="The unit's name as it was then.")
    taken_over = serializers.SerializerMethodField(help_text="A result of a unit this commune took over.")
    points = points_field(source="total", allow_null=True)
    stars = serializers.IntegerField(allow_null=True)
    condition_not_met = serializers.SerializerMethodField(
        help_text="Not recognised whatever the points: a condition for recognition is not met."
    )
    standing = StandingOut(source="*")
    result_url = serializers.SerializerMethodField(help_text="This result explained (API).")

    def get_taken_over(self, assessment) -> bool:
        return assessment.commune_id != self.context["commune"].pk

    def get_condition_not_met(self, assessment) -> bool:
        return bool(assessment.knockouts)

    def get_result_url(self, assessment) -> str:
        return reverse("api:scoring:commune-result", kwargs={"pk": assessment.commune_id, "year": assessment.year})


class CertificateRefOut(serializers.Serializer):
    """A star certificate in a public list: valid or revoked (with its day and reason)."""

    serial = serializers.CharField()
    year = serializers.IntegerField()
    unit_name = serializers.CharField()
    stars = serializers.IntegerField(allow_null=True)
    revoked = serializers.BooleanField(source="is_revoked")
    revoked_at = serializers.DateTimeField(allow_null=True)
    revoked_reason = serializers.CharField()
    verify_url = serializers.CharField(source="get_absolute_url", help_text="The public verification page.")
    pdf_url = serializers.SerializerMethodField(help_text="The sealed PDF; null once revoked.")

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_pdf_url(self, certificate) -> str | None:
        if certificate.is_revoked:
            return None
        return reverse("scoring:certificate_download", kwargs={"serial": certificate.serial})


class StarHistoryOut(serializers.Serializer):
    """A commune's public results over the years, with those of the units it took over (newest first)."""

    commune = UnitRefOut()
    results = serializers.SerializerMethodField()
    predecessors = UnitRefOut(many=True)
    successors = UnitRefOut(many=True, help_text="An ended unit's results continue in these units' history.")
    certificates = CertificateRefOut(many=True)

    @extend_schema_field(ResultSummaryOut(many=True))
    def get_results(self, history) -> list[dict]:
        return ResultSummaryOut(history.results, many=True, context={"commune": history.commune}).data


class ReadingOut(serializers.Serializer):
    """The figure a computed criterion was scored from."""

    percent = serializers.FloatField(allow_null=True, help_text="Null: nothing to measure in the period.")
    rows = serializers.IntegerField(help_text="How many rows of data (answers, items, months) it rests on.")
    enough = serializers.BooleanField(help_text="False below the criterion's minimum of rows: no points.")
    detail = serializers.ListField(
        child=serializers.DictField(), help_text="The figures behind it: `{key, label, value}`, in order."
    )


class ResultLineOut(serializers.Serializer):
    code = serializers.CharField(source="criterion.code")
    name = serializers.CharField(source="criterion.name")
    points = points_field(source="line.points", allow_null=True)
    max_points = points_field(source="criterion.max_points")
    measure = serializers.ChoiceField(source="criterion.measure", choices=Measure.choices)
    measure_label = serializers.CharField(source="criterion.get_measure_display")
    guidance = serializers.CharField(source="criterion.guidance")
    metric_label = serializers.CharField()
    reading = serializers.SerializerMethodField(help_text="A computed criterion's figure; null otherwise.")
    floor = serializers.FloatField(
        source="criterion.floor", allow_null=True, help_text="0 points at or below this figure (a fraction)."
    )
    target = serializers.FloatField(
        source="criterion.target", allow_null=True, help_text="Full points from this figure (a fraction)."
    )
    self_score = points_field(source="line.self_score", allow_null=True, help_text="A self-assessed criterion's.")
    evidence = serializers.SerializerMethodField(help_text="The evidence of a self-assessed criterion (PDF files).")
    appraised_score = serializers.SerializerMethodField(
        help_text="DoHA's score where it differs from what the commune's side put forward."
    )
    proposed = serializers.SerializerMethodField(help_text="What the commune's side put forward, when appraised.")
    appraisal_reason = serializers.SerializerMethodField()

    @extend_schema_field(ReadingOut(allow_null=True))
    def get_reading(self, item) -> dict | None:
        if not item.criterion.is_computed or not item.reading:
            return None
        reading = item.reading
        rows = detail_rows(item.criterion.metric, reading.get("detail") or {})
        return {
            "percent": None if item.percent is None else round(item.percent, 2),
            "rows": reading.get("rows") or 0,
            "enough": bool(reading.get("enough")),
            "detail": [{"key": key, "label": str(label), "value": value} for key, label, value in rows],
        }

    @extend_schema_field(serializers.DictField(child=serializers.CharField()))
    def get_evidence(self, item) -> dict:
        line = item.line
        if item.criterion.is_computed:
            return {}
        page = self.context["page_url"]
        return {
            name: f"{page}?line={line.pk}&file={name}" for name in ("evidence_index", "evidence") if getattr(line, name)
        }

    @extend_schema_field(points_field(allow_null=True))
    def get_appraised_score(self, item):
        return points_field().to_representation(item.line.appraised_score) if item.appraisal_differs else None

    @extend_schema_field(points_field(allow_null=True))
    def get_proposed(self, item):
        return points_field().to_representation(item.line.proposed or 0) if item.appraisal_differs else None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_appraisal_reason(self, item) -> str | None:
        return item.line.appraisal_reason if item.appraisal_differs else None


class ResultGroupOut(serializers.Serializer):
    code = serializers.CharField(source="group.code")
    name = serializers.CharField(source="group.name")
    points = points_field()
    max_points = points_field(source="group.max_points")
    criteria = ResultLineOut(source="lines", many=True)


class BandOut(serializers.Serializer):
    stars = serializers.IntegerField()
    min_points = points_field()
    label = serializers.CharField()


class DataOut(serializers.Serializer):
    """Where the computed figures come from: the period and the units whose data counted."""

    period_start = serializers.DateField()
    period_end = serializers.DateField()
    computed_at = serializers.DateTimeField()


class ResultUnitOut(serializers.Serializer):
    id = serializers.IntegerField(source="commune.pk")
    name = serializers.CharField(help_text="As the unit was named at the end of the period.")


class CriteriaSetOut(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    year = serializers.IntegerField()
    province = UnitRefOut()


class PublicResultOut(serializers.Serializer):
    """A commune's result of a year explained: points by group and criterion, the figures behind the
    computed ones, the stars and where the result stands."""

    commune = UnitRefOut(source="assessment.commune")
    year = serializers.IntegerField(source="assessment.year")
    unit_name = serializers.CharField(source="assessment.unit_name")
    criteria_set = CriteriaSetOut()
    standing = StandingOut(source="assessment")
    finalized_at = serializers.DateTimeField(source="assessment.finalized_at", allow_null=True)
    points = points_field(source="assessment.total", allow_null=True)
    stars = serializers.IntegerField(source="assessment.stars", allow_null=True)
    band = serializers.SerializerMethodField(help_text="The label of the stars given.")
    points_band = serializers.SerializerMethodField(
        help_text="The band the points alone reach, when a condition for recognition kept the commune from it."
    )
    conditions_not_met = serializers.ListField(source="knockouts", child=serializers.CharField())
    star_bands = BandOut(many=True)
    groups = ResultGroupOut(many=True)
    data = DataOut(source="snapshot", allow_null=True)
    units = serializers.SerializerMethodField(
        help_text="The units whose data counted, when the unit took others over (the assessed unit first)."
    )
    successors = UnitRefOut(many=True, help_text="An ended unit: the units it is now part of.")
    page_url = serializers.SerializerMethodField()

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_band(self, result) -> str | None:
        return result.band.label if result.band else None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_points_band(self, result) -> str | None:
        return result.points_band.label if result.points_band else None

    @extend_schema_field(ResultUnitOut(many=True))
    def get_units(self, result) -> list[dict]:
        return ResultUnitOut(result.units, many=True).data if result.taken_over else []

    def get_page_url(self, result) -> str:
        return self.context["page_url"]


# --- Rankings ------------------------------------------------------------------------------------


class GroupOut(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    max_points = points_field()


class DistrictOut(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="__str__")


class RankingRowOut(serializers.Serializer):
    rank = serializers.IntegerField(help_text="By stars, then points; equal results share a rank.")
    commune = UnitRefOut()
    unit_name = serializers.CharField(source="assessment.unit_name")
    district = DistrictOut(source="commune.district", allow_null=True)
    group_points = serializers.SerializerMethodField(help_text="Points by group, in the order of `groups`.")
    points = points_field(source="assessment.total", allow_null=True)
    stars = serializers.IntegerField(source="assessment.stars", allow_null=True)
    standing = StandingOut(source="assessment")

    @extend_schema_field(serializers.DictField(child=points_field()))
    def get_group_points(self, row) -> dict:
        field, codes = points_field(), self.context["codes"]
        return {code: field.to_representation(points) for code, points in zip(codes, row.points, strict=True)}


class StarCountOut(serializers.Serializer):
    stars = serializers.IntegerField(help_text="0: not recognised.")
    count = serializers.IntegerField()
    percent = serializers.FloatField()


class RankingsOut(serializers.Serializer):
    """The province's public results of a year (provisional and final), ranked."""

    province = UnitRefOut()
    year = serializers.IntegerField()
    criteria_set = serializers.CharField(
        source="criteria_set.name", allow_null=True, help_text="Null: the province published no results this year."
    )
    sort = serializers.CharField()
    sorts = serializers.ListField(child=serializers.CharField(), help_text="The values `sort` accepts.")
    district = DistrictOut(allow_null=True)
    districts = DistrictOut(many=True, help_text="The districts of the ranked units, for the filter.")
    groups = GroupOut(many=True)
    distribution = StarCountOut(many=True, help_text="5 stars down to 1, then not recognised (0).")
    rows = serializers.SerializerMethodField()

    @extend_schema_field(RankingRowOut(many=True))
    def get_rows(self, rankings: dict) -> list[dict]:
        codes = [group.code for group in rankings["groups"]]
        return RankingRowOut(rankings["rows"], many=True, context={"codes": codes}).data


class RankingYearOut(serializers.Serializer):
    year = serializers.IntegerField()
    rankings_url = serializers.CharField()


class RankingYearsOut(serializers.Serializer):
    province = UnitRefOut()
    years = RankingYearOut(many=True, help_text="The years with public results, newest first.")


# --- Sealed documents ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Document:
    """A sealed document with what its verification page says of it (scoring.views.certificates)."""

    certificate: Certificate
    status: str  # the page's verdict about the document: valid, revoked, pending or superseded
    issued: bool  # its file exists
    issuer_name: str  # the province as the decision's date named it

    @property
    def unit_name(self) -> str:
        return self.certificate.unit_name or self.issuer_name

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS.get(self.status, self.status))


STATUS_LABELS = {
    # The verification page's own words.
    "valid": _("Valid: issued by the portal, sealed with the portal's digital seal, and not revoked."),
    "revoked": _("Revoked: no longer valid."),
    "pending": _("Being issued: not ready yet. Please come back later."),
    "superseded": _("Replaced by the signed decision"),
}


class SignedDecisionOut(DecisionOut):
    signer_title = serializers.CharField()
    signer_name = serializers.CharField()


class CertificateOut(serializers.Serializer):
    """A sealed document (a star certificate, or a decision's document) as its verification page shows it."""

    serial = serializers.CharField(source="certificate.serial")
    kind = serializers.ChoiceField(source="certificate.kind", choices=Certificate.Kind.choices)
    kind_label = serializers.CharField(source="certificate.get_kind_display")
    status = serializers.CharField(
        help_text="`valid`, `revoked`, `pending` (being issued) or `superseded` (a decision's sealed copy, replaced "
        "by the copy signed in the e-office system)."
    )
    status_label = serializers.CharField()
    commune = UnitRefOut(source="certificate.commune", allow_null=True)
    unit_name = serializers.CharField(help_text="The unit as the document names it; the issuer for a decision.")
    year = serializers.IntegerField(source="certificate.year", help_text="The year assessed.")
    stars = serializers.IntegerField(source="certificate.stars", allow_null=True)
    register_number = serializers.CharField(
        source="certificate.register_label", help_text="Number in the province's register; empty for a decision."
    )
    decision = SignedDecisionOut(source="certificate.decision")
    issued = serializers.BooleanField(help_text="Its file exists (valid or revoked).")
    issued_at = serializers.SerializerMethodField()
    sha256 = serializers.SerializerMethodField(help_text="SHA-256 of the file as issued.")
    sealed = serializers.SerializerMethodField(help_text="Sealed with the portal's digital seal (PAdES).")
    sealed_by = serializers.SerializerMethodField()
    seal_fingerprint = serializers.SerializerMethodField(help_text="SHA-256 of the portal's sealing certificate.")
    development_key = serializers.SerializerMethodField(help_text="Sealed with a development key: not a real seal.")
    revoked_at = serializers.DateTimeField(source="certificate.revoked_at", allow_null=True)
    revoked_reason = serializers.CharField(source="certificate.revoked_reason")
    verify_url = serializers.CharField(source="certificate.get_absolute_url", help_text="The verification page.")
    pdf_url = serializers.SerializerMethodField(help_text="The file, once issued (a revoked one says it is).")

    @extend_schema_field(serializers.DateTimeField(allow_null=True))
    def get_issued_at(self, document: Document):
        issued_at = document.certificate.issued_at
        return serializers.DateTimeField().to_representation(issued_at) if document.issued and issued_at else None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_sha256(self, document: Document) -> str | None:
        return document.certificate.sha256 if document.issued else None

    def get_sealed(self, document: Document) -> bool:
        return document.issued and bool(document.certificate.signer_fingerprint)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_sealed_by(self, document: Document) -> str | None:
        return (document.certificate.signer_name or None) if document.issued else None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_seal_fingerprint(self, document: Document) -> str | None:
        return (document.certificate.signer_fingerprint or None) if document.issued else None

    def get_development_key(self, document: Document) -> bool:
        return document.issued and document.certificate.development_key

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_pdf_url(self, document: Document) -> str | None:
        if not document.issued:
            return None
        return reverse("scoring:certificate_download", kwargs={"serial": document.certificate.serial})


class CertificateVerifyIn(serializers.Serializer):
    """Either the SHA-256 of a file, or the file itself (multipart): one of the two."""

    sha256 = serializers.RegexField(SHA256, required=False, help_text="64 hexadecimal digits.")
    file = serializers.FileField(required=False, help_text="A PDF of at most 5 MB; compared, not kept.")

    def validate(self, attrs: dict) -> dict:
        if ("sha256" in attrs) == ("file" in attrs):
            raise serializers.ValidationError(ONE_OF_THE_TWO)
        return attrs


class VerdictOut(serializers.Serializer):
    verdict = serializers.ChoiceField(
        choices=[(code, code) for code in VERDICTS],
        help_text="`authentic`: a document the portal issued, unchanged and valid; `superseded`: a decision's "
        "sealed copy replaced by the signed one; `signed`: the decision as signed in the e-office system; "
        "`revoked`; `modified`: a seal that no longer matches the content (a file only); `not-issued`: "
        "nothing the portal issued.",
    )
    label = serializers.CharField()
    message = serializers.CharField()
    issued_by_portal = serializers.BooleanField(
        help_text="The file is a document the portal issued or published (even if revoked or replaced since)."
    )
    document = CertificateOut(allow_null=True, help_text="The sealed document the file is.")
    decision = SignedDecisionOut(
        allow_null=True, help_text="The decision whose signed copy the file is (verdict `signed`)."
    )
