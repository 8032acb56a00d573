"""Loaders that turn a URL's pk into the scoring object a permission is checked on (404 if unknown)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from communes.models import District
from core.permissions import object_permission_required
from scoring.models import Appeal, Assessment, CriteriaSet, Decision


def _assessment(pk: int, **kwargs):
    assessment = get_object_or_404(
        Assessment.objects.select_related("criteria_set", "commune__district", "commune__province", "snapshot"), pk=pk
    )
    return assessment, {"assessment": assessment, **kwargs}


def _criteria_set(pk: int, **kwargs):
    criteria_set = get_object_or_404(CriteriaSet.objects.select_related("province"), pk=pk)
    return criteria_set, {"criteria_set": criteria_set, **kwargs}


def _decision(pk: int, **kwargs):
    decision = get_object_or_404(Decision.objects.select_related("province"), pk=pk)
    return decision, {"decision": decision, **kwargs}


def _appeal(pk: int, **kwargs):
    appeal = get_object_or_404(
        Appeal.objects.select_related("assessment__commune", "assessment__criteria_set", "line__criterion"), pk=pk
    )
    return appeal.assessment, {"appeal": appeal, **kwargs}


def _district(pk: int, **kwargs):
    district = get_object_or_404(District.objects.select_related("province"), pk=pk)
    return district, {"district": district, **kwargs}


def assessment_permission_required(perm: str):
    return object_permission_required(perm, _assessment)


def criteria_set_permission_required(perm: str):
    return object_permission_required(perm, _criteria_set)


def decision_permission_required(perm: str):
    return object_permission_required(perm, _decision)


def appeal_permission_required(perm: str):
    """Checked on the appeal's assessment."""
    return object_permission_required(perm, _appeal)


def district_permission_required(perm: str):
    return object_permission_required(perm, _district)
