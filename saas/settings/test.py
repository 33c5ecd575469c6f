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

# Region files written by tests go to a directory of this process, removed at exit: bytes are
# not rolled back with the test's transaction, so a shared MEDIA_ROOT would grow run after run
# and leak one run's files into the next run's exports.
import atexit  # noqa: E402
import shutil  # noqa: E402
import tempfile  # noqa: E402
from pathlib import Path  # noqa: E402

from saas.settings.base import FILES_STORAGE  # noqa: E402

MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="berbagi-test-media-"))
atexit.register(shutil.rmtree, MEDIA_ROOT, ignore_errors=True)
if FILES_STORAGE["BACKEND"].endswith("FileSystemStorage"):
    FILES_STORAGE = {**FILES_STORAGE, "OPTIONS": {"location": MEDIA_ROOT, "base_url": None}}
