"""Moved to apps.access (one access layer). Kept only so branches written against the old path
still import; new code imports apps.access.roles / .drf / .decorators."""

from apps.access.decorators import forbidden_response, platform_role_required, role_required
from apps.access.drf import (
    IsCentralSupport,
    IsPlatformStaff,
    IsRegionAdmin,
    RegionRolePermission,
    region_roles,
)
from apps.access.roles import (
    OBSERVER_ROLES,
    is_central_support,
    is_platform_staff,
    is_provincial_admin,
    is_support_session,
    join_or,
    missing_role_message,
    opd_scope_allows,
    request_may,
    role_cache_clear,
    role_labels,
    role_require,
    support_read_only_message,
    user_has_role,
    user_opd_codes,
    user_roles,
)

__all__ = [
    "OBSERVER_ROLES",
    "IsCentralSupport",
    "IsPlatformStaff",
    "IsRegionAdmin",
    "RegionRolePermission",
    "forbidden_response",
    "is_central_support",
    "is_platform_staff",
    "is_provincial_admin",
    "is_support_session",
    "join_or",
    "missing_role_message",
    "opd_scope_allows",
    "platform_role_required",
    "region_roles",
    "request_may",
    "role_cache_clear",
    "role_labels",
    "role_require",
    "role_required",
    "support_read_only_message",
    "user_has_role",
    "user_opd_codes",
    "user_roles",
]
