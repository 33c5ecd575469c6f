from uuid import UUID

from django.db.models import QuerySet

from apps.files.models import StoredFile


def stored_file_list(*, owner_app: str | None = None) -> QuerySet[StoredFile]:
    """Newest first; optionally one owner app's files."""
    files = StoredFile.objects.select_related("uploaded_by").order_by("-created_at")
    if owner_app:
        files = files.filter(owner_app=owner_app)
    return files


def stored_file_get(*, file_id: UUID | str) -> StoredFile | None:
    try:
        return StoredFile.objects.filter(pk=UUID(str(file_id))).first()
    except ValueError:
        return None
