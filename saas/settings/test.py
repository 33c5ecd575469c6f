"""Test overrides only."""

from saas.settings.base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Tests start the routing listener themselves where they test it.
TENANT_ROUTING_LISTEN = False
# Tests collect snapshots themselves; no in-process beat thread.
OPERATIONS_INPROCESS_BEAT = False
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
