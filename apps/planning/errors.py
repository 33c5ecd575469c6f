"""Refusals of the e-planning app (field + Indonesian message, mapped to JSON by saas.api)."""

from apps.core.errors import ApplicationError, ConflictError, NotFoundError, PermissionDeniedError


class PlanningError(ApplicationError):
    pass


class StageClosedError(ConflictError):
    """A write outside an open stage; the message names the stage and its dates."""


class PlanningNotFound(NotFoundError):
    pass


class PlanningForbidden(PermissionDeniedError):
    pass
