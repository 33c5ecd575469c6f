"""Moved to apps.access (one access layer). Kept only so branches written against the old path
still import; new code imports apps.access."""

from apps.access.decorators import console_view
from apps.access.drf import IsCentralSupport, IsPlatformStaff
from apps.access.roles import is_central_support as is_central
from apps.access.roles import is_platform_staff as is_console_user
from apps.access.roles import province_scope
from apps.access.scoping import tenants_visible

IsConsoleUser = IsPlatformStaff

__all__ = [
    "IsCentralSupport",
    "IsConsoleUser",
    "console_view",
    "is_central",
    "is_console_user",
    "province_scope",
    "tenants_visible",
]
