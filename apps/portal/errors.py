"""Refusals of the transparency portal (field + Indonesian message, mapped to JSON by saas.api)."""

from apps.core.errors import ApplicationError, NotFoundError


class PortalError(ApplicationError):
    pass


class PortalNotFound(NotFoundError):
    pass
