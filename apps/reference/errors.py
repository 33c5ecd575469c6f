"""Errors of the reference-data importers."""

from tenants.errors import ApplicationError


class ReferenceImportError(ApplicationError):
    """A malformed row or file: names the file, the line and the reason; nothing was changed."""

    def __init__(self, *, file: str, line: int | None, reason: str) -> None:
        where = f"{file}, baris {line}" if line is not None else file
        super().__init__(f"{where}: {reason}", field="file")
        self.file = file
        self.line = line
        self.reason = reason
