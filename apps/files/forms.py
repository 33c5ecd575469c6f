"""A form field for pages that take an upload: the same checks as the API, errors in the form."""

from typing import Any

from django import forms

from apps.files.errors import FileError
from apps.files.owners import GENERAL_OWNER, owner_get
from apps.files.validation import upload_check


class RegionFileField(forms.FileField):
    """Checks size, type (extension and content) and name for the owner app's rules; the page
    then passes the cleaned upload to `file_store`."""

    def __init__(self, *, owner_app: str = GENERAL_OWNER.app, **kwargs: Any) -> None:
        self.owner_app = owner_app
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        upload = super().clean(data, initial)
        if upload:
            owner = owner_get(self.owner_app)
            try:
                upload_check(upload=upload, extensions=owner.extensions, max_bytes=owner.max_bytes)
            except FileError as error:
                raise forms.ValidationError(error.message, code="file") from error
        return upload
