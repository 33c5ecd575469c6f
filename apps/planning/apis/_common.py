"""Query parameters shared by the planning APIs."""

from typing import Any

from rest_framework import serializers

from saas.api import QueryParams


class YearQuery(QueryParams):
    tahun = serializers.IntegerField(required=False, min_value=2000, max_value=2100)
    opd = serializers.CharField(required=False, allow_blank=True, max_length=64)
    urusan = serializers.CharField(required=False, allow_blank=True, max_length=10)
    program = serializers.CharField(required=False, allow_blank=True, max_length=20)
    status = serializers.CharField(required=False, allow_blank=True, max_length=20)


class DiffQuery(QueryParams):
    dari = serializers.IntegerField(required=False, min_value=1, max_value=2_147_483_647)
    ke = serializers.IntegerField(required=False, min_value=1, max_value=2_147_483_647)


def filters(query: dict[str, Any]) -> dict[str, str | None]:
    return {k: query.get(k) or None for k in ("opd", "urusan", "program")}
