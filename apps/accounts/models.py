"""People who sign in. The same model lives in public (platform staff, provincial admins) and in
every region's schema (that region's staff): a person of Buol does not exist in Medan."""

from typing import Any, ClassVar

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models


class EmailUserManager(UserManager["User"]):
    def create_user(  # type: ignore[override]
        self, email: str, password: str | None = None, **extra: Any
    ) -> "User":
        extra.setdefault("username", email.lower())
        return super().create_user(email=email.lower(), password=password, **extra)

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
    # Meaningful in the public schema only: what a console user may do, and for which province.
    platform_role = models.CharField(
        "peran platform", max_length=32, choices=PlatformRole.choices, blank=True, default=""
    )
    province_code = models.CharField(
        "kode provinsi",
        max_length=2,
        blank=True,
        default="",
        help_text="Two-digit kode wilayah of the province a provincial admin manages.",
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = ["username"]

    objects: ClassVar[EmailUserManager] = EmailUserManager()  # type: ignore[assignment]

    def __str__(self) -> str:
        return self.full_name or self.email
