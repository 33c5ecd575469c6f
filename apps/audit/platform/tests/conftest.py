"""Console users and clients, shared with the support console's tests."""

from provisioning.tests.conftest import central, console, make_console_user

__all__ = ["central", "console", "make_console_user"]
