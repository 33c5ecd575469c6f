"""People who sign in. The same model lives in public (platform staff, provincial admins) and in
every region's schema (that region's staff): a person of Buol does not exist in Medan."""

import uuid
from datetime import datetime
from typing import Any, ClassVar, cast

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import connection, models


class EmailUserManager(UserManager["User"]):
    def create_user(  # type: ignore[override]
        self, email: str, password: str | None = None, **extra: Any
    ) -> "User":
        """A user of the current schema; `platform_role`/`province_code` (console only) are
        stored by apps.platform's staff_role_set."""
        from apps.platform.services import staff_role_set

        role = extra.pop("platform_role", "")
        province = extra.pop("province_code", "")
        extra.setdefault("username", email.lower())
        user = super().create_user(email=email.lower(), password=password, **extra)
        if role or province:
            staff_role_set(user=user, platform_role=role, province_code=province)
        return user

    def create_superuser(  # type: ignore[override]
        self, email: str, password: str | None = None, **extra: Any
    ) -> "User":
        extra.setdefault("username", email.lower())
        return super().create_superuser(email=email.lower(), password=password, **extra)


class User(AbstractUser):
    """Signs in with email; `username` mirrors it for Django's admin and allauth."""

    class PlatformRole(models.TextChoices):
        NONE = "", "Bukan staf platform"
        CENTRAL_SUPPORT = "central_support", "Dukungan pusat"
        PROVINCIAL_ADMIN = "provincial_admin", "Admin provinsi"

    email = models.EmailField("email", unique=True)
    full_name = models.CharField("nama lengkap", max_length=255, blank=True, default="")
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = ["username"]

    objects: ClassVar[EmailUserManager] = EmailUserManager()

    def __str__(self) -> str:
        return self.full_name or self.email

    # What a console user may do, and for which province: apps.platform.StaffRole, a public-only
    # table (regions carry no platform columns). "" for everyone else and in every region.
    @property
    def platform_role(self) -> str:
        return self._staff_values()["platform_role"]

    @platform_role.setter
    def platform_role(self, value: str) -> None:
        self._staff_values_set(platform_role=value)

    @property
    def province_code(self) -> str:
        return self._staff_values()["province_code"]

    @province_code.setter
    def province_code(self, value: str) -> None:
        self._staff_values_set(province_code=value)

    def _staff_values(self) -> dict[str, str]:
        """Read once per object, in the public schema only (a region's user ids are their own)."""
        cached = self.__dict__.get("_staff_cache")
        if cached is not None:
            return cast(dict[str, str], cached)
        values = {"platform_role": "", "province_code": ""}
        if self.pk is not None and connection.schema_name == settings.PUBLIC_SCHEMA_NAME:  # type: ignore[attr-defined]
            from apps.platform.models import StaffRole

            row = StaffRole.objects.filter(user_id=self.pk).values(*values).first()
            values.update(row or {})
            self.__dict__["_staff_cache"] = values
        return values

    def _staff_values_set(self, **values: str) -> None:
        """What this object reports until reread (an unsaved user, or after staff_role_set)."""
        self.__dict__["_staff_cache"] = {**self._staff_values(), **values}


class Role(models.TextChoices):
    """Roles inside a region. Stored per region schema (RoleAssignment)."""

    ADMIN = "admin_daerah", "Admin daerah"
    BAPPEDA = "bappeda", "Bappeda"
    OPD_OPERATOR = "operator_opd", "Operator OPD"
    KEPALA_OPD = "kepala_opd", "Kepala OPD"
    TAPD = "tapd", "TAPD"
    BPKAD = "bpkad", "BPKAD"
    PERIZINAN_FRONT = "perizinan_front_office", "Front office perizinan"
    PERIZINAN_BACK = "perizinan_back_office", "Back office perizinan"
    KEPALA_DPMPTSP = "kepala_dpmptsp", "Kepala DPMPTSP"
    DPRD = "dprd", "DPRD"
    INSPEKTORAT = "inspektorat", "Inspektorat"
    OPERATOR_KECAMATAN = "operator_kecamatan", "Operator kecamatan"
    OPERATOR_DESA = "operator_desa", "Operator desa/kelurahan"


# Roles that belong to one perangkat daerah; their assignment carries that OPD's code.
OPD_BOUND_ROLES = frozenset({Role.OPD_OPERATOR.value, Role.KEPALA_OPD.value})
# Roles bound to one kecamatan or desa/kelurahan of the region (apps.wilayah code).
WILAYAH_BOUND_ROLES = frozenset({Role.OPERATOR_KECAMATAN.value, Role.OPERATOR_DESA.value})


class RoleAssignment(models.Model):
    """One role of a region user (region schema). OPD-bound roles name the OPD by its code,
    a string because the OPD table belongs to apps.reference."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField("peran", max_length=32, choices=Role.choices)
    opd_code = models.CharField("kode OPD", max_length=64, blank=True, default="")
    wilayah_code = models.CharField("kode wilayah", max_length=13, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["user_id", "role"]
        constraints = [
            models.UniqueConstraint(fields=["user", "role"], name="accounts_role_once_per_user"),
            models.CheckConstraint(
                condition=(models.Q(role__in=sorted(OPD_BOUND_ROLES)) & ~models.Q(opd_code=""))
                | (~models.Q(role__in=sorted(OPD_BOUND_ROLES)) & models.Q(opd_code="")),
                name="accounts_role_opd_code_iff_opd_bound",
            ),
            # Only wilayah-bound roles carry a code; one without a code reaches no place
            # (apps.access.roles.wilayah_scope_allows), and user_roles_set requires it.
            models.CheckConstraint(
                condition=models.Q(role__in=sorted(WILAYAH_BOUND_ROLES))
                | models.Q(wilayah_code=""),
                name="accounts_role_wilayah_code_only_wilayah_bound",
            ),
        ]

    def __str__(self) -> str:
        code = self.opd_code or self.wilayah_code
        suffix = f" ({code})" if code else ""
        return f"{self.get_role_display()}{suffix}"


class Invitation(models.Model):
    """A single-use, expiring link to join the schema it lives in with a role. Only the SHA-256 of
    its token is stored. In public the role is a platform role, in a region a region role."""

    email = models.EmailField("email")
    role = models.CharField("peran", max_length=32)
    opd_code = models.CharField("kode OPD", max_length=64, blank=True, default="")
    # Operator kecamatan/desa: the kecamatan or desa/kelurahan code of the region (apps.wilayah).
    wilayah_code = models.CharField("kode wilayah", max_length=13, blank=True, default="")
    province_code = models.CharField("kode provinsi", max_length=2, blank=True, default="")
    token_hash = models.CharField(max_length=64, unique=True)
    # The inviter may live in another schema (a provincial admin invites a region's first admin).
    invited_by_id = models.CharField(max_length=64, blank=True, default="")
    invited_by_label = models.CharField(max_length=255, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    accepted_user = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    # Set by invitation_create only: the raw token and the link, never stored.
    token: str
    accept_url: str

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} ({self.role})"

    @property
    def is_pending(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None

    @property
    def role_label(self) -> str:
        """The role's name: a region role's in a region, a platform role's on the console."""
        if self.role in Role.values:
            return str(Role(self.role).label)
        if self.role in User.PlatformRole.values:
            return str(User.PlatformRole(self.role).label)
        return self.role


class ApiToken(models.Model):
    """A per-user API token of one schema. Stored as prefix + SHA-256 of the secret; the schema
    name is part of the row so a token copied into another schema is still refused."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField("nama", max_length=100)
    prefix = models.CharField(max_length=16, unique=True)
    key_hash = models.CharField(max_length=64)
    schema_name = models.CharField(max_length=63)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class SupportGrant(models.Model):
    """Central support's time-limited, read-only access to one region. Lives in that region's
    schema, so its admin sees and ends it there; the support person is named by their console
    (public schema) id and email, never by a foreign key across schemas."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    support_user_id = models.CharField(max_length=64)
    support_email = models.EmailField()
    reason = models.TextField("alasan")
    opened_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by_label = models.CharField(max_length=255, blank=True, default="")
    # Single-use nonce of the console-to-region handoff; cleared when consumed.
    handoff_nonce = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        ordering = ["-opened_at"]

    def __str__(self) -> str:
        return f"{self.support_email} s.d. {self.expires_at:%Y-%m-%d %H:%M}"

    def is_active_at(self, moment: datetime) -> bool:
        return self.ended_at is None and self.opened_at <= moment < self.expires_at
