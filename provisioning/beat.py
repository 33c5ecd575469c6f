"""Without a Celery beat (no REDIS_URL), the web process collects snapshots itself: a daemon
thread started by the first request. Kept apart from metrics so that counting requests never
imports the tasks (metrics <- monitoring <- tasks <- beat, one direction)."""

import logging
import threading
import time
from typing import Any

from django.conf import settings

logger = logging.getLogger(__name__)

_beat_lock = threading.Lock()
_beat_thread: threading.Thread | None = None


def _beat_loop() -> None:
    from apps.portal.platform.tasks import portal_collect_task
    from provisioning.tasks import snapshot_collect

    time.sleep(5)  # let the server finish starting
    while True:
        try:
            snapshot_collect.apply(kwargs={"schema_name": "public"})
            # the transparency portal's collection (its own beat entry under Celery)
            portal_collect_task.apply(kwargs={"schema_name": "public"})
        except Exception:
            logger.warning("in-process snapshot failed", exc_info=True)
        finally:
            from django.db import connection

            connection.close()
        time.sleep(settings.OPERATIONS_SNAPSHOT_INTERVAL)


def inprocess_beat_ensure() -> None:
    """Without a Celery beat (no REDIS_URL), the web process collects snapshots itself."""
    global _beat_thread
    if _beat_thread is not None:
        return
    with _beat_lock:
        if _beat_thread is None:
            _beat_thread = threading.Thread(
                target=_beat_loop, name="operations-inprocess-beat", daemon=True
            )
            _beat_thread.start()


def on_request_started(sender: Any, **kwargs: Any) -> None:
    if settings.OPERATIONS_INPROCESS_BEAT:
        inprocess_beat_ensure()
