"""The scoring app's API: public results, rankings and the verification of sealed documents.

Public, as the pages are, and read by the pages' selectors (scoring.selectors.public) and the
verification page's code (scoring.views.certificates), so the API says what the pages say.
"""

from __future__ import annotations

import hashlib

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from communes.models import Commune, Province
from core.api.errors import MESSAGES, ApiError
from scoring.api.serializers import (
    VERDICTS,
    CertificateOut,
    CertificateVerifyIn,
    Document,
    PublicResultOut,
    RankingsOut,
    RankingYearsOut,
    StarHistoryOut,
    VerdictOut,
)
from scoring.forms.certificates import CertificateCheckForm
from scoring.models import Assessment, Certificate, Decision
from scoring.selectors.public import (
    DEFAULT_SORT,
    public_result,
    ranking_sorts,
    ranking_years,
    rankings,
    star_history,
)
from scoring.selectors.verification import NOT_ISSUED, SIGNED, VALID, document_issued, seal_broken, status_verdict
from scoring.services.certificates import AUTHENTIC, MODIFIED
from scoring.services.certificates.issue import ISSUED
from scoring.services.decisions.document import body_name_on

# --- Results -------------------------------------------------------------------------------------


class CommuneResults(APIView):
    """A commune's public results over the years (provisional and final), with those of the units it
    took over in a reorganisation, and its star certificates (valid and revoked)."""

    @extend_schema(responses=StarHistoryOut, operation_id="communes_results_history")
    def get(self, request, pk: int):
        try:
            history = star_history(commune_pk=pk)
        except Commune.DoesNotExist as error:
            raise Http404 from error
        return Response(StarHistoryOut(history).data)


class CommuneResult(APIView):
    """A commune's public result of a year explained, as its public page shows it: points by group and
    criterion, how each was measured and the figures behind it, the stars, and where it stands."""

    @extend_schema(responses=PublicResultOut, operation_id="communes_results_year")
    def get(self, request, pk: int, year: int):
        try:
            result = public_result(commune_pk=pk, year=year)
        except Assessment.DoesNotExist as error:
            raise Http404 from error
        page_url = reverse("scoring:result", kwargs={"pk": pk, "year": year})
        return Response(PublicResultOut(result, context={"page_url": page_url}).data)


# --- Rankings ------------------------------------------------------------------------------------


class ProvinceRankingYears(APIView):
    """The years in which the province has public results, newest first."""

    @extend_schema(responses=RankingYearsOut, operation_id="provinces_rankings_years")
    def get(self, request, pk: int):
        province = get_object_or_404(Province, pk=pk)
        years = [
            {"year": year, "rankings_url": reverse("api:scoring:province-rankings", kwargs={"pk": pk, "year": year})}
            for year in ranking_years(province=province)
        ]
        return Response(RankingYearsOut({"province": province, "years": years}).data)


class ProvinceRankings(APIView):
    """The province's public results of a year, provisional and final, ranked by stars then points
    (equal results share a rank); every row at once, as the page lists them."""

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "sort",
                str,
                description="`rank` (default), `name`, `total`, `stars`, or a group's code (`sorts` lists them); "
                "anything else sorts by rank.",
            ),
            OpenApiParameter("district", int, description="Only the units of this district (`districts`)."),
        ],
        responses=RankingsOut,
        operation_id="provinces_rankings_year",
    )
    def get(self, request, pk: int, year: int):
        province = get_object_or_404(Province, pk=pk)
        district = request.query_params.get("district", "")
        ranking = rankings(
            province=province,
            year=year,
            sort=request.query_params.get("sort", DEFAULT_SORT),
            district_pk=int(district) if district.isdigit() else None,
        )
        body = {
            "province": province,
            "year": year,
            "criteria_set": ranking.criteria_set,
            "sort": ranking.sort,
            "sorts": ranking_sorts(ranking.groups),
            "district": ranking.district,
            "districts": ranking.districts,
            "groups": ranking.groups,
            "distribution": ranking.distribution,
            "rows": ranking.rows,
        }
        return Response(RankingsOut(body).data)


# --- Sealed documents ----------------------------------------------------------------------------


def _document(certificate: Certificate) -> Document:
    """A document with what its verification page says of it."""
    decision = certificate.decision
    if decision.signed_on:  # the issuing province as the decision's date named it
        issuer = body_name_on(decision.province, decision.signed_on).full
    else:
        issuer = decision.province.official_name
    return Document(
        certificate=certificate,
        status=status_verdict(certificate).code,
        issued=document_issued(certificate),
        issuer_name=issuer,
    )


class CertificateDetail(APIView):
    """A sealed document by its serial (printed on it, and in its QR code): what it states, whether it
    is valid, the SHA-256 of its file and the portal's seal, as the verification page shows them."""

    @extend_schema(responses=CertificateOut)
    def get(self, request, serial: str):
        certificate = (
            Certificate.objects.select_related("decision__province", "commune", "register")
            .filter(serial=serial)
            .first()
        )
        if certificate is None:
            raise Http404
        return Response(CertificateOut(_document(certificate)).data)


def _verdict(digest: str, data: bytes | None) -> dict:
    """What a file (or its SHA-256) is among the documents the portal issued: the verification page's
    verdicts, for a file that claims no serial."""
    match = (
        Certificate.objects.select_related("decision__province", "commune", "register")
        .filter(sha256=digest, status__in=ISSUED)
        .order_by("pk")
        .first()
    )
    document = decision = None
    if match is not None:
        document = _document(match)
        verdict = AUTHENTIC if document.status == VALID else document.status
        if verdict not in VERDICTS:  # a row marked issued whose file is missing: nothing to vouch for
            verdict, document = NOT_ISSUED, None
    else:
        decision = Decision.objects.filter(status=Decision.Status.APPROVED, signed_sha256=digest).first()
        if decision is not None:
            verdict = SIGNED
        elif data is not None and seal_broken(data):
            verdict = MODIFIED
        else:
            verdict = NOT_ISSUED
    label, message = VERDICTS[verdict]
    return {
        "verdict": verdict,
        "label": label,
        "message": message,
        "issued_by_portal": verdict not in (MODIFIED, NOT_ISSUED),
        "document": document,
        "decision": decision,
    }


class CertificateVerify(APIView):
    """Is this file a document the portal issued, and which? Send the PDF (multipart, field `file`) or
    only its SHA-256 (JSON or form): the answer is the verification page's verdict. Nothing is kept or
    changed, so a replay needs no Idempotency-Key (one sent is accepted and ignored)."""

    parser_classes = [JSONParser, MultiPartParser]

    @extend_schema(request=CertificateVerifyIn, responses=VerdictOut)
    def post(self, request):
        data = CertificateVerifyIn(data=request.data)
        data.is_valid(raise_exception=True)
        upload = data.validated_data.get("file")
        content = None
        if upload is not None:
            # The page's form checks the upload: a real PDF of at most 5 MB with no script in it.
            form = CertificateCheckForm(files={"document": upload})
            if not form.is_valid():
                raise ApiError("invalid", MESSAGES["invalid"], fields={"file": form.errors["document"]})
            content = form.data_bytes()
            digest = hashlib.sha256(content).hexdigest()
        else:
            digest = data.validated_data["sha256"].lower()
        return Response(VerdictOut(_verdict(digest, content)).data)
