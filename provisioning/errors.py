"""Errors of provisioning; the DRF handler in saas.api maps them to JSON {field, message}."""

from tenants.errors import ApplicationError


class ProvisioningError(ApplicationError):
    """A provisioning step failed; everything it did was rolled back."""

    status_code = 500


class CloneError(ProvisioningError):
    """The template schema holds something the catalog copy cannot reproduce faithfully."""
