from apps.core.errors import ApplicationError, ConflictError, NotFoundError, PermissionDeniedError


class LicensingError(ApplicationError):
    """A refusal in perizinan, naming the field."""


class LicensingNotFound(NotFoundError):
    pass


class LicensingConflict(ConflictError):
    """A step out of order, an application in the wrong state."""


class LicensingRoleError(PermissionDeniedError):
    """A step taken by a role that may not take it."""
