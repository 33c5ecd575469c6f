"""Closing a stage freezes the plan: the snapshot stays byte-for-byte while the live plan moves,
its hash is in the audit chain, and the diff lists exactly what moved."""

import hashlib
import json
from decimal import Decimal
from typing import Any

import pytest

from apps.accounts.models import Role
from apps.audit.models import AuditEntry
from apps.planning.errors import PlanningError
from apps.planning.models import PlanEntry, Snapshot, Stage
from apps.planning.selectors.diff import plan_diff, snapshot_rows
from apps.planning.selectors.plan import plan_rows
from apps.planning.services.calendar import stage_close
from apps.planning.services.plan import plan_entry_create, plan_entry_delete, plan_entry_update
from apps.planning.tests.conftest import DISDIK, YEAR, MakePerson, entry_input, sub_kegiatan_codes


def _three_entries(actor: Any) -> list[PlanEntry]:
    codes = sub_kegiatan_codes("1.02", 3)
    return [
        plan_entry_create(
            actor=actor, data=entry_input(sub_kegiatan=kode, pagu=str(1000 * (i + 1)))
        )
        for i, kode in enumerate(codes)
    ]


def test_closing_a_stage_freezes_the_plan_with_its_hash_in_the_audit_chain(
    stages: dict[str, Stage], person: MakePerson
) -> None:
    bappeda = person(Role.BAPPEDA)
    _three_entries(bappeda)
    snapshot = stage_close(actor=bappeda, stage=stages[Stage.Kind.MUSRENBANG_KABKOTA])
    body = json.loads(snapshot.isi)
    assert len(body["entri"]) == 3
    assert body["total"]["total"][""] == "6000"
    assert hashlib.sha256(snapshot.isi.encode()).hexdigest() == snapshot.sha256
    entry = AuditEntry.objects.order_by("-id").first()
    assert entry is not None and entry.action == "planning.stage_closed"
    assert snapshot.sha256 in json.dumps(entry.changes)
    with pytest.raises(PlanningError):
        stage_close(actor=bappeda, stage=stages[Stage.Kind.MUSRENBANG_KABKOTA])


def test_the_snapshot_stays_byte_for_byte_while_the_live_plan_moves_and_the_diff_names_it(
    stages: dict[str, Stage], person: MakePerson
) -> None:
    bappeda = person(Role.BAPPEDA)
    first, second, third = _three_entries(bappeda)
    snapshot = stage_close(actor=bappeda, stage=stages[Stage.Kind.RKPD_AWAL])
    frozen, digest = snapshot.isi, snapshot.sha256
    # the live plan moves: one changed (pagu and target), one removed, one added
    plan_entry_update(
        actor=bappeda,
        entry=first,
        data=entry_input(sub_kegiatan=first.sub_kegiatan.kode, pagu="2500", target="7"),
    )
    second_id = second.pk
    plan_entry_delete(actor=bappeda, entry=second)
    added = plan_entry_create(
        actor=bappeda, data=entry_input(opd=DISDIK, sub_kegiatan=sub_kegiatan_codes("1.01", 1)[0])
    )
    snapshot = Snapshot.objects.get(pk=snapshot.pk)
    assert snapshot.isi == frozen and snapshot.sha256 == digest
    diff = plan_diff(snapshot_rows(snapshot), plan_rows(tahun=YEAR))
    assert [row["id"] for row in diff["ditambah"]] == [added.pk]
    assert [row["id"] for row in diff["dihapus"]] == [second_id]
    assert [(c["id"], sorted(c["perubahan"])) for c in diff["diubah"]] == [
        (first.pk, ["pagu", "target"])
    ]
    assert diff["diubah"][0]["perubahan"]["pagu"] == ["1000", "2500"]
    assert third.pk not in {c["id"] for c in diff["diubah"]}
    opd = {row["kode"]: row for row in diff["total"]["opd"]}
    assert Decimal(opd[DISDIK]["selisih"]) == Decimal("1500000000")
    urusan = {row["kode"]: row for row in diff["total"]["urusan"]}
    assert urusan["1"]["sebelum"] == "6000"


def test_two_snapshots_compare_and_an_unchanged_plan_has_an_empty_diff(
    stages: dict[str, Stage], person: MakePerson
) -> None:
    bappeda = person(Role.BAPPEDA)
    _three_entries(bappeda)
    one = stage_close(actor=bappeda, stage=stages[Stage.Kind.FORUM_OPD])
    two = stage_close(actor=bappeda, stage=stages[Stage.Kind.RKPD_AWAL])
    diff = plan_diff(snapshot_rows(one), snapshot_rows(two))
    assert diff["ditambah"] == diff["dihapus"] == diff["diubah"] == []
    assert all(row["selisih"] == "0" for row in diff["total"]["opd"])
