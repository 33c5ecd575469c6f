"""Who acts in a region under a support grant: not a region user, a read-only principal that
carries both identities (the console user and the grant) into every audit entry."""

from typing import TYPE_CHECKING, Any, TypeAlias

if TYPE_CHECKING:
    from apps.accounts.models import SupportGrant, User


class SupportPrincipal:
    """Stands in for request.user in a support session; authenticated, never a region user."""

    is_authenticated = True
    is_anonymous = False
    is_active = True
    is_staff = False
    is_superuser = False
    is_support_session = True
    pk = None
    id = None
    platform_role = ""
    province_code = ""

    def __init__(self, grant: "SupportGrant") -> None:
        self.grant = grant
        self.email = grant.support_email
        self.full_name = f"Dukungan pusat: {grant.support_email}"

    def __str__(self) -> str:
        return self.full_name

    def get_username(self) -> str:
        return self.email

    def audit_identity(self) -> tuple[str, str]:
        """(actor_id, actor_label) for apps.audit: the console user and the grant, both named."""
        return (
            f"support:{self.grant.support_user_id}",
            f"{self.email} (dukungan pusat, hibah {self.grant.pk})",
        )

    def has_perm(self, perm: str, obj: Any = None) -> bool:
        return False

    def has_perms(self, perm_list: Any, obj: Any = None) -> bool:
        return False

    def has_module_perms(self, app_label: str) -> bool:
        return False

    def get_all_permissions(self, obj: Any = None) -> set[str]:
        return set()


# Who acts, as every service that writes an audit entry takes it: a region or platform user, a
# support principal, a system label ("rollout 2026.2", "demo") or None for the platform itself.
Actor: TypeAlias = "User | SupportPrincipal | str | None"
