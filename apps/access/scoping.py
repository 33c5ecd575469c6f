"""Querysets narrowed to what a platform user may see: central support every region, a
provincial admin the regions of their province, anyone else nothing."""

from typing import Any, TypeVar

from django.db.models import Model, QuerySet

from apps.access.roles import CENTRAL_SUPPORT, PROVINCIAL_ADMIN, platform_role

M = TypeVar("M", bound=Model)


def province_codes_scope(user: Any) -> list[str] | None:
    """None: every province; [code]: one province; []: none."""
    role = platform_role(user)
    if role == CENTRAL_SUPPORT:
        return None
    if role == PROVINCIAL_ADMIN:
        return [str(user.province_code)]
    return []


def scope_by_province(user: Any, queryset: QuerySet[M], province_field: str) -> QuerySet[M]:
    """`queryset` filtered on `province_field` (a two-digit province code) for `user`."""
    codes = province_codes_scope(user)
    if codes is None:
        return queryset
    if not codes:
        return queryset.none()
    return queryset.filter(**{f"{province_field}__in": codes})


def tenants_visible(user: Any, tenants: QuerySet[M]) -> QuerySet[M]:
    """Tenants (regions) the user may see on the console."""
    return scope_by_province(user, tenants, "province_id")


def regions_visible(user: Any, regions: QuerySet[M], kode_field: str = "kode") -> QuerySet[M]:
    """Registry rows (or rows pointing at one by `kode_field`) of the user's provinces:
    a kabupaten/kota code `72.05` lies in province `72`."""
    codes = province_codes_scope(user)
    if codes is None:
        return regions
    if not codes:
        return regions.none()
    return regions.filter(**{f"{kode_field}__startswith": codes[0] + "."})
