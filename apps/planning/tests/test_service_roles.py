"""The calendar, ceiling and Renja services check their actor's role themselves (not only the
views' decorators): a wrong role, or a system label, is refused naming the roles, and nothing is
written, not even to the audit chain."""

import datetime
from collections.abc import Callable
from functools import partial
from typing import Any

import pytest
from django.utils import timezone

from apps.accounts.models import Role
from apps.audit.models import AuditEntry
from apps.planning.errors import PlanningForbidden
from apps.planning.models import OpdCeiling, Period, RenjaReview, Snapshot, Stage
from apps.planning.services.calendar import period_create, stage_close, stage_create, stage_open
from apps.planning.services.plan import ceiling_set, renja_submit, renja_verify
from apps.planning.tests.conftest import DINKES, YEAR, MakePerson


def _written() -> tuple[Any, ...]:
    """Every row these services could write, and the audit chain's length."""
    return (
        list(Period.objects.order_by("pk").values_list("pk", "nama")),
        list(Stage.objects.order_by("pk").values_list("pk", "status")),
        Snapshot.objects.count(),
        list(OpdCeiling.objects.values_list("pk", "pagu")),
        list(RenjaReview.objects.values_list("pk", "status", "catatan")),
        AuditEntry.objects.count(),
    )


def _refused(call: Callable[[], Any], role: str = Role.BAPPEDA) -> None:
    before = _written()
    with pytest.raises(PlanningForbidden) as refused:
        call()
    assert refused.value.field == "role"
    assert refused.value.message.startswith("Akses ditolak: tindakan ini memerlukan peran")
    assert str(Role(role).label) in refused.value.message
    assert _written() == before


def _wrong_actors(person: MakePerson) -> list[Any]:
    return [
        person(Role.OPD_OPERATOR, opd=DINKES),
        person(Role.KEPALA_OPD, opd=DINKES),
        person(Role.TAPD),
        person(Role.INSPEKTORAT),
        "uji",  # a system label holds no role
    ]


def test_only_bappeda_runs_the_planning_calendar(stages: Any, person: MakePerson) -> None:
    # given a planned stage of the next year and an open one of this year
    bappeda = person(Role.BAPPEDA)
    today = timezone.localdate()
    planned = stage_create(
        actor=bappeda,
        period=Period.objects.get(),
        tahun=YEAR + 1,
        jenis=Stage.Kind.FORUM_OPD,
        dibuka_pada=today,
        ditutup_pada=today + datetime.timedelta(days=5),
    )
    opened = stages[Stage.Kind.FORUM_OPD]
    for actor in _wrong_actors(person):
        # when / then: each calendar service refuses, naming Bappeda, and writes nothing
        _refused(partial(period_create, actor=actor, nama="RPJMD 2030", tahun_awal=2030))
        _refused(
            partial(
                stage_create,
                actor=actor,
                period=Period.objects.get(),
                tahun=YEAR + 1,
                jenis=Stage.Kind.RKPD_AWAL,
                dibuka_pada=today,
                ditutup_pada=today,
            )
        )
        _refused(partial(stage_open, actor=actor, stage=planned))
        _refused(partial(stage_close, actor=actor, stage=opened))
    # and Bappeda still may
    assert stage_open(actor=bappeda, stage=planned).status == Stage.State.OPEN
    assert stage_close(actor=bappeda, stage=opened).sha256


def test_only_bappeda_sets_a_ceiling_or_verifies_a_renja(stages: Any, person: MakePerson) -> None:
    kepala, bappeda = person(Role.KEPALA_OPD, opd=DINKES), person(Role.BAPPEDA)
    review = renja_submit(actor=kepala, tahun=YEAR, opd=DINKES)
    for actor in _wrong_actors(person):
        _refused(partial(ceiling_set, actor=actor, tahun=YEAR, opd=DINKES, pagu="5"))
        _refused(partial(renja_verify, actor=actor, review=review, accept=False, catatan="Kurang"))
    assert ceiling_set(actor=bappeda, tahun=YEAR, opd=DINKES, pagu="5").pagu == 5
    verified = renja_verify(actor=bappeda, review=review, accept=True)
    assert verified.status == RenjaReview.State.ACCEPTED


def test_only_a_kepala_opd_submits_a_renja(stages: Any, person: MakePerson) -> None:
    for actor in [person(Role.BAPPEDA), person(Role.OPD_OPERATOR, opd=DINKES), "uji"]:
        _refused(partial(renja_submit, actor=actor, tahun=YEAR, opd=DINKES), Role.KEPALA_OPD)
