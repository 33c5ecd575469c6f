"""Refusals of region file storage; each maps to JSON {field, message} through saas.api."""

from apps.core.errors import ApplicationError, NotFoundError


class FileError(ApplicationError):
    """An upload or a file name that is refused (400)."""


class FilePathError(FileError):
    """A storage path that would leave the region's prefix ('..', absolute, NUL, backslash)."""


class FileContextError(ApplicationError):
    """Region storage used outside a region's schema: a programming error, never user input."""

    status_code = 500


class StoredFileMissingError(NotFoundError):
    """No such file in this region, or one the requester may not see (indistinguishable)."""


class FileArchiveError(ApplicationError):
    """A region's files in an archive that do not match its manifest."""

    status_code = 500
