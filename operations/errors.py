"""Refusals of the support console's services."""

from tenants.errors import ApplicationError, ConflictError


class LifecycleError(ConflictError):
    """The region is not in a state that allows the action."""


class ConfirmationError(ApplicationError):
    """The confirmation does not name the region."""


class RolloutError(ConflictError):
    """A rollout cannot start or retry as asked."""
