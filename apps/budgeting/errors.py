"""Refusals of the e-budgeting app (field + Indonesian message, mapped to JSON by saas.api)."""

from apps.core.errors import ApplicationError, ConflictError, NotFoundError, PermissionDeniedError


class BudgetError(ApplicationError):
    pass


class BudgetLockedError(ConflictError):
    """A write to an enacted version (refused before PostgreSQL's trigger would refuse it)."""


class BudgetNotFound(NotFoundError):
    pass


class BudgetForbidden(PermissionDeniedError):
    pass
