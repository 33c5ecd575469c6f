"""The SLA dashboard is aggregated in SQL and says what the working-day clock says: its counts,
shares and medians equal those computed in Python from each application's own clock, on
applications across weekends, a national holiday, a regional day off, returns and refusals."""

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from statistics import median
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.accounts.models import User
from apps.licensing import clock
from apps.licensing.models import Langkah, Permohonan, StandarLayanan, Step
from apps.licensing.selectors import dashboard
from apps.licensing.services.applications import permohonan_resubmit
from apps.licensing.services.standards import hari_libur_add
from apps.licensing.services.steps import langkah_complete
from apps.licensing.tests.conftest import Day, pdf_upload
from apps.licensing.tests.test_path import WHO, apply


def _take(p: Permohonan, people: dict[str, User], hasil: str = Langkah.Hasil.SETUJU) -> Any:
    return langkah_complete(
        permohonan=p,
        step=p.langkah_sekarang,
        actor=people[WHO[p.langkah_sekarang]],
        hasil=hasil,
        catatan="" if hasil == Langkah.Hasil.SETUJU else "alasan",
        data={"referensi": "BANK-1"},
    )


def _run(p: Permohonan, people: dict[str, User], day: Day, gaps: list[int]) -> Permohonan:
    """Take each step after `gaps[i]` calendar days (the last gap repeats)."""
    index = 0
    while p.status == Permohonan.Status.DIPROSES:
        day.set(day.value + timedelta(days=gaps[min(index, len(gaps) - 1)]))
        p = _take(p, people)
        index += 1
    return p


def _python_clock(p: Permohonan, finished_on: date) -> int:
    """The working days the clock ran for `p`, counted by the Python calendar."""
    first = p.langkah.order_by("id").first()
    assert first is not None
    calendar = clock.calendar_for(first.mulai, finished_on)
    pauses = list(p.jeda.values_list("mulai", "selesai"))
    return calendar.elapsed(pauses, first.mulai, finished_on)


def _share(part: int, whole: int) -> Decimal:
    return (Decimal(part) * 100 / whole).quantize(Decimal("0.1"), ROUND_HALF_UP)


def _varied(standards: Any, people: dict[str, User], day: Day) -> dict[str, date]:
    """Applications finished on known days; returns number -> the day each finished."""
    finished: dict[str, date] = {}
    hari_libur_add(tanggal=date(2026, 3, 12), nama="Hari jadi kota", actor=people["kepala"])
    plans: list[tuple[StandarLayanan, date, list[int]]] = [
        (standards["fee"], date(2026, 3, 2), [1]),  # straight through a weekend
        (standards["free"], date(2026, 3, 5), [1, 2]),  # across the regional day off
        (standards["free"], date(2026, 3, 16), [1]),  # across Nyepi and Idul Fitri (national)
        (standards["fee"], date(2026, 3, 16), [3]),  # slow: late
        (standards["free"], date(2026, 4, 6), [2, 1]),
        (standards["fee"], date(2026, 4, 13), [4, 1, 1]),
    ]
    for standar, start, gaps in plans:
        day.set(start)
        p = apply(standar, people, besaran={"luas_m2": "7"})
        p = _run(p, people, day, gaps)
        finished[p.nomor] = day.value
    # returned for a week, then finished
    day.set(date(2026, 5, 4))
    p = apply(standards["fee"], people, besaran={"luas_m2": "3"})
    p = _take(p, people, Langkah.Hasil.KEMBALIKAN)
    day.set(date(2026, 5, 11))
    p = permohonan_resubmit(permohonan=p, actor=people["warga"], documents={"KTP": pdf_upload()})
    p = _run(p, people, day, [1])
    finished[p.nomor] = day.value
    # refused at the technical review
    day.set(date(2026, 5, 18))
    p = apply(standards["free"], people)
    day.set(day.value + timedelta(days=1))
    p = _take(p, people)
    day.set(day.value + timedelta(days=6))
    p = _take(p, people, Langkah.Hasil.TOLAK)
    finished[p.nomor] = day.value
    return finished


def test_the_dashboard_equals_the_python_clock_on_varied_applications(
    standards: Any, people: dict[str, User], day: Day
) -> None:
    StandarLayanan.objects.filter(pk=standards["free"].pk).update(sektor="")
    finished = _varied(standards, people, day)
    rows = []
    for p in Permohonan.objects.filter(nomor__in=finished).select_related("standar"):
        days = _python_clock(p, finished[p.nomor])
        total = sum(p.ketentuan["langkah"].values())
        assert p.hari_kerja == days, p.nomor
        rows.append((p.standar.kode, p.standar.sektor or "-", days, days <= total))
    assert len({r[2] for r in rows}) >= 4 and {r[3] for r in rows} == {True, False}
    figures = dashboard()
    assert figures["selesai"] == len(rows)
    assert figures["tepat_waktu"] == sum(1 for r in rows if r[3])
    assert figures["persen_tepat_waktu"] == _share(figures["tepat_waktu"], len(rows))
    assert figures["median_hari_kerja"] == Decimal(str(median(r[2] for r in rows)))
    for group, key in (("per_jenis", 0), ("per_sektor", 1)):
        for line in figures[group]:
            mine = [r for r in rows if r[key] == line["kode" if key == 0 else "sektor"]]
            assert line["selesai"] == len(mine)
            assert line["tepat_waktu"] == sum(1 for r in mine if r[3])
            assert line["median_hari_kerja"] == Decimal(str(median(r[2] for r in mine)))
        assert sum(line["selesai"] for line in figures[group]) == len(rows)
    assert {line["sektor"] for line in figures["per_sektor"]} == {"Uji", "-"}


def test_the_dashboard_lists_late_open_steps_and_costs_the_same_queries_at_any_size(
    standards: Any, people: dict[str, User], day: Day
) -> None:
    def measured() -> tuple[dict[str, Any], int]:
        with CaptureQueriesContext(connection) as queries:
            figures = dashboard()
        return figures, len(queries.captured_queries)

    slow = apply(standards["free"], people)
    day.set(day.value + timedelta(days=10))
    figures, few = measured()
    assert [r["nomor"] for r in figures["terlambat"]] == [slow.nomor]
    assert figures["terlambat"][0]["langkah"] == Step.BERKAS.label
    for _ in range(4):
        _run(apply(standards["fee"], people, besaran={"luas_m2": "2"}), people, day, [1])
    apply(standards["free"], people)
    figures, many = measured()
    assert many == few and figures["selesai"] == 4 and figures["berjalan"] == 2


def test_the_median_from_the_histogram_is_the_median_of_the_rows() -> None:
    import random

    from apps.licensing.selectors import _Tally

    rng = random.Random(12)
    for size in (1, 2, 3, 4, 7, 10, 101, 1000):
        rows = [(rng.randint(0, 40), rng.random() < 0.7) for _ in range(size)]
        tally = _Tally({})
        for days, ok in rows:
            tally.add(days, ok, 1)
        assert tally.median() == Decimal(str(median(d for d, _ok in rows))).quantize(Decimal("0.1"))
        assert tally.row()["tepat_waktu"] == sum(1 for _d, ok in rows if ok)
    assert _Tally({}).median() is None
