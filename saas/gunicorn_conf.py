"""gunicorn in the image (`gunicorn saas.wsgi --config python:saas.gunicorn_conf`).

Two listeners: WEB_PORT for the Service and Ingress, METRICS_PORT for Prometheus only (the app
answers /metrics on that one alone, see saas.middleware.MetricsMiddleware). Workers write their
Prometheus samples under PROMETHEUS_MULTIPROC_DIR so a scrape sums them all. Logs are JSON lines.
"""

import os
import shutil
from pathlib import Path
from typing import Any

bind = [
    f"0.0.0.0:{os.environ.get('WEB_PORT', '8000')}",
    f"0.0.0.0:{os.environ.get('METRICS_PORT', '9100')}",
]
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
worker_class = "sync"
timeout = int(os.environ.get("WEB_TIMEOUT", "60"))
graceful_timeout = 30
# Heartbeat files in the writable /tmp (the root filesystem is read-only).
worker_tmp_dir = os.environ.get("GUNICORN_TMP_DIR", "/tmp")
# Requests are counted and timed per region by the app (Prometheus); no access log lines.
accesslog = None
logconfig_dict: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "saas.logging.JsonFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "gunicorn.error": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}


def on_starting(server: Any) -> None:
    """Start each pod with an empty multiprocess directory (stale files would be summed)."""
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if directory:
        shutil.rmtree(directory, ignore_errors=True)
        Path(directory).mkdir(parents=True, exist_ok=True)


def child_exit(server: Any, worker: Any) -> None:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)  # type: ignore[no-untyped-call]
