"""Owner apps of region files and who may see or upload their files.

An app that keeps files (Musrenbang photos, permit documents, issued permits) registers a
`FileOwner` in its AppConfig.ready(): its name, the callbacks that decide who may view a file and
who may upload, and optionally narrower content types or a smaller size limit. The default rule is
"staff of this region": a user holding any region role here (support sessions may view, never
upload).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from apps.access.roles import is_support_session, user_roles
from apps.files.errors import FileError

if TYPE_CHECKING:
    from apps.files.models import StoredFile


def region_staff_may_view(user: Any, stored: "StoredFile") -> bool:
    return is_support_session(user) or bool(user_roles(user))


def region_staff_may_upload(user: Any) -> bool:
    return not is_support_session(user) and bool(user_roles(user))


@dataclass(frozen=True)
class FileOwner:
    app: str
    may_view: Callable[[Any, "StoredFile"], bool] = region_staff_may_view
    may_upload: Callable[[Any], bool] = region_staff_may_upload
    # Empty: every type of apps.files.validation.FILE_TYPES; else a subset of their extensions.
    extensions: frozenset[str] = field(default_factory=frozenset)
    max_bytes: int | None = None


GENERAL_OWNER = FileOwner(app="umum")

_OWNERS: dict[str, FileOwner] = {}


def owner_register(owner: FileOwner) -> None:
    _OWNERS[owner.app] = owner


def owner_get(app: str) -> FileOwner:
    """The registered owner `app`; FileError naming the field otherwise."""
    owner = _OWNERS.get(app)
    if owner is None:
        raise FileError(
            _("Aplikasi pemilik berkas tidak dikenal: %(app)s") % {"app": app[:50]},
            field="owner_app",
        )
    return owner


def owners_registered() -> list[str]:
    return sorted(_OWNERS)
