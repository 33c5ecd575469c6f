"""Domain errors of the platform; one DRF handler maps ApplicationError to JSON (saas.api)."""


class ApplicationError(Exception):
    """A refusal with a message fit for the user, the field it concerns, and an HTTP status."""

    status_code = 400

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class NotFoundError(ApplicationError):
    status_code = 404


class ConflictError(ApplicationError):
    status_code = 409


class PermissionDeniedError(ApplicationError):
    status_code = 403
