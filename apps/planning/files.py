"""Musrenbang attachments (photos and documents) kept through apps.files."""

from typing import TYPE_CHECKING, Any

from apps.access.roles import is_support_session, user_roles
from apps.files.owners import FileOwner

if TYPE_CHECKING:
    from apps.files.models import StoredFile

OWNER_APP = "musrenbang"


def _may_upload(user: Any) -> bool:
    return not is_support_session(user) and bool(user_roles(user))


def _may_view(user: Any, stored: "StoredFile") -> bool:
    return is_support_session(user) or bool(user_roles(user))


MUSRENBANG_OWNER = FileOwner(
    app=OWNER_APP,
    may_view=_may_view,
    may_upload=_may_upload,
    extensions=frozenset({"pdf", "png", "jpg", "jpeg", "webp"}),
    max_bytes=5 * 1024 * 1024,
)
