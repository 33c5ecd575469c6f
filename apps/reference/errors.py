"""Errors of the reference-data importers."""

from django.utils.translation import gettext as _

from apps.core.errors import ApplicationError, ConflictError, PermissionDeniedError


class ReferenceImportError(ApplicationError):
    """A malformed row or file: names the file, the line and the reason; nothing was changed."""

    def __init__(self, *, file: str, line: int | None, reason: str) -> None:
        where = (
            _("%(file)s, baris %(line)s") % {"file": file, "line": line}
            if line is not None
            else file
        )
        super().__init__(
            _("%(where)s: %(reason)s") % {"where": where, "reason": reason}, field="file"
        )
        self.file = file
        self.line = line
        self.reason = reason


class NomenklaturError(ApplicationError):
    """A nomenclature code a new record may not use (unknown, or retired by a release)."""


class UsulanHargaError(ApplicationError):
    """A standard-price request refused: the message names the field and the values."""


class UsulanHargaForbidden(PermissionDeniedError):
    """A request or decision by someone who may not make it (role, OPD, same approver)."""


class UsulanHargaConflict(ConflictError):
    """A decision on a request that is already decided, or a change the list no longer allows."""
