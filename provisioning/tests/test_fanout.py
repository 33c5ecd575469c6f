"""Per-region work: every active region in its own schema, failures isolated and reported."""

import logging
import threading
from typing import Any

import pytest
import sentry_sdk
from django.db import connection

from apps.accounts.models import User
from apps.core.errors import NotFoundError
from provisioning import fanout, tasks
from tenants.models import Tenant


def _work_failing_in(schema_name: str, seen: dict[str, Any]) -> fanout.RegionWork:
    lock = threading.Lock()

    def work(tenant: Tenant) -> None:
        with lock:
            # where the work really runs: the connection's schema, its users, the thread
            seen[tenant.schema_name] = (
                connection.schema_name,  # type: ignore[attr-defined]
                User.objects.filter(email__startswith="admin.").count(),
                threading.get_ident(),
            )
        if tenant.schema_name == schema_name:
            raise RuntimeError(f"rusak di {schema_name}")

    return work


def test_work_runs_in_every_active_region_and_a_failure_stays_in_its_region(
    medan: Tenant,
    buol: Tenant,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    # given work registered by name that fails in Buol
    seen: dict[str, Any] = {}
    captured: list[BaseException] = []
    monkeypatch.setitem(fanout.REGION_WORK, "uji", _work_failing_in(buol.schema_name, seen))
    monkeypatch.setattr(sentry_sdk, "capture_exception", captured.append)
    # when the periodic task runs it, one region per batch
    with caplog.at_level(logging.ERROR, logger="provisioning.fanout"):
        summary = tasks.regions_run.delay(schema_name="public", work="uji", batch_size=1).get()
    # then each region ran in its own schema (and sees its own first admin)
    assert seen[medan.schema_name][:2] == (medan.schema_name, 1)
    assert seen[buol.schema_name][:2] == (buol.schema_name, 1)
    assert threading.get_ident() not in {ident for _, _, ident in seen.values()}
    # and Buol's failure is reported (summary, log, Sentry) without stopping Medan
    assert medan.schema_name in summary["ok"] and buol.schema_name not in summary["ok"]
    assert summary["failed"] == {buol.schema_name: f"rusak di {buol.schema_name}"}
    assert summary["regions"] == len(seen)
    assert [str(exc) for exc in captured] == [f"rusak di {buol.schema_name}"]
    assert any(getattr(r, "region", "") == buol.schema_name for r in caplog.records)


def test_only_active_regions_are_visited(medan: Tenant, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: dict[str, Any] = {}
    monkeypatch.setitem(fanout.REGION_WORK, "uji", _work_failing_in("none", seen))
    summary = fanout.regions_run(name="uji")
    assert "template_master" not in seen and set(summary.ok) == set(seen)
    assert all(Tenant.objects.get(schema_name=name).status == Tenant.Status.ACTIVE for name in seen)


def test_unknown_work_is_refused(db: None) -> None:
    with pytest.raises(NotFoundError):
        fanout.regions_run(name="tidak-ada")
