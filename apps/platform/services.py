"""Writes of console-only identity (public schema)."""

from django.conf import settings
from django.db import transaction

from apps.accounts.models import User
from apps.core.errors import ApplicationError
from apps.platform.models import StaffRole
from tenants.db import schema_current


@transaction.atomic
def staff_role_set(*, user: User, platform_role: str, province_code: str = "") -> User:
    """Give a console user their platform role (and province), or take it away with ""."""
    if schema_current() != settings.PUBLIC_SCHEMA_NAME:
        raise ApplicationError("Peran platform hanya ada di konsol.", field="platform_role")
    if platform_role:
        StaffRole.objects.update_or_create(
            user=user,
            defaults={"platform_role": platform_role, "province_code": province_code},
        )
    else:
        StaffRole.objects.filter(user=user).delete()
        province_code = ""
    user._staff_values_set(platform_role=platform_role, province_code=province_code)
    return user
