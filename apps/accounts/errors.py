"""Refusals of identity and access, each with an Indonesian message fit for the person."""

from apps.core.errors import ApplicationError, NotFoundError, PermissionDeniedError


class InvitationNotFoundError(NotFoundError):
    pass


class InvitationExpiredError(ApplicationError):
    status_code = 410


class InvitationUsedError(ApplicationError):
    status_code = 410


class MissingRoleError(PermissionDeniedError):
    """The user lacks every role that would allow the action; the message names them."""


class MfaRequiredError(PermissionDeniedError):
    pass


class SupportGrantError(PermissionDeniedError):
    pass
