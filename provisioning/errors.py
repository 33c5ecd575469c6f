"""Refusals of a region's lifecycle; one DRF handler (saas.api) maps them to JSON."""

from apps.core.errors import ApplicationError, ConflictError


class ProvisioningError(ApplicationError):
    """A provisioning step failed; everything it did was rolled back."""

    status_code = 500


class CloneError(ProvisioningError):
    """The template schema holds something the catalog copy cannot reproduce faithfully."""


class LifecycleError(ConflictError):
    """The region is not in a state that allows the action."""


class ConfirmationError(ApplicationError):
    """The confirmation does not name the region."""


class RolloutError(ConflictError):
    """A rollout cannot start or retry as asked."""
