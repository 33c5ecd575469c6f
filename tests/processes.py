"""Running a snippet of the project in a fresh Python process (settings read anew from `env`)."""

import json
import os
import subprocess
import sys
from typing import Any

from django.conf import settings


def django_snippet_json(script: str, env: dict[str, str], unset: tuple[str, ...] = ()) -> Any:
    """Run `script` (which prints JSON last) under django.setup(), with os.environ less `unset`
    plus `env`; returns the parsed last line."""
    base = {k: v for k, v in os.environ.items() if k not in unset}
    result = subprocess.run(
        [sys.executable, "-c", "import django, json; django.setup(); " + script],
        env={**base, "DJANGO_SETTINGS_MODULE": "saas.settings.test", **env},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])
