"""The Celery app and the tenant-aware task base.

Broker: REDIS_URL. Without REDIS_URL, tasks run eagerly in the calling process
(CELERY_TASK_ALWAYS_EAGER), which is what `make up` does unless REDIS_URL is exported; the web
process then also runs the periodic snapshot in a thread (provisioning.metrics). With Redis:

    celery -A saas worker -l info      # runs tasks
    celery -A saas beat -l info        # schedules the snapshot task (CELERY_BEAT_SCHEDULE)

Every task takes `schema_name` as a keyword argument and runs inside `schema_context` for it, with
logs and Sentry events tagged with that schema ("public" for platform-wide work).
"""

import os
from typing import Any

import sentry_sdk
from celery import Celery, Task

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saas.settings.base")

app = Celery("saas")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


class TenantTask(Task[Any, Any]):
    """A task that runs in one schema: `schema_name` is required and entered before the body."""

    abstract = True

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        from django_tenants.utils import schema_context

        from saas.logging import tenant_context

        schema_name = kwargs.get("schema_name")
        if not schema_name or not isinstance(schema_name, str):
            raise TypeError(f"task {self.name} needs the keyword argument schema_name")
        _schema_check(schema_name, self.name)
        sentry_sdk.set_tag("tenant", schema_name)
        # schema_context restores the schema the connection had before (public in a worker).
        with tenant_context(schema_name), schema_context(schema_name):
            return super().__call__(*args, **kwargs)


def _schema_check(schema_name: str, task_name: str) -> None:
    """Refuses a schema that is neither public nor a tenant's: search_path falls through to
    public for a schema that does not exist, so the body would run on the platform's tables."""
    from django.conf import settings
    from django_tenants.utils import schema_context

    from tenants.models import Tenant

    if schema_name == settings.PUBLIC_SCHEMA_NAME:
        return
    with schema_context(settings.PUBLIC_SCHEMA_NAME):
        known = Tenant.objects.filter(schema_name=schema_name).exists()
    if not known:
        raise ValueError(f"task {task_name}: {schema_name!r} is no tenant's schema")
