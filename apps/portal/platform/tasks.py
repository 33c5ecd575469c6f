"""Celery entry point of the portal's collection (scheduled by beat, CELERY_BEAT_SCHEDULE)."""

from typing import Any

from apps.portal.platform.services import portal_collect
from saas.celery import TenantTask, app


@app.task(base=TenantTask, name="portal.collect")
def portal_collect_task(*, schema_name: str) -> dict[str, Any]:
    """Copy every active region's latest publications and prices in force into public."""
    return portal_collect().as_dict()
