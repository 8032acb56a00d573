"""What the API says about administrative units, one-stop pages, procedures and disclosures."""

from __future__ import annotations

from rest_framework import serializers


class UnitRefOut(serializers.Serializer):
    """Another unit, named: a successor, a parent."""

    id = serializers.IntegerField()
    code = serializers.CharField()
    official_name = serializers.CharField(source="__str__")


class FormerNameOut(serializers.Serializer):
    name = serializers.CharField()
    valid_until = serializers.DateField()


class UnitOut(serializers.Serializer):
    """A province, district or commune with its period of validity: an ended unit (the communes merged
    on 1 July 2025, say) names the units in force today that took it over."""

    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    division_type = serializers.CharField()
    division_type_label = serializers.CharField(source="get_division_type_display")
    official_name = serializers.CharField(source="__str__")
    valid_from = serializers.DateField(allow_null=True)
    valid_until = serializers.DateField(allow_null=True)
    is_current = serializers.BooleanField()
    former_names = FormerNameOut(source="former_name_periods", many=True)
    successors_today = UnitRefOut(many=True)
    page_url = serializers.CharField(source="get_absolute_url")


class ProvinceOut(UnitOut):
    commune_count = serializers.IntegerField()
