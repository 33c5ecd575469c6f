"""Working-day arithmetic: weekends, national holidays, the region's days off and pauses."""

from datetime import date

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context

from apps.licensing.clock import Calendar, calendar_for, national_holidays
from apps.licensing.models import HariLibur
from tenants.models import Tenant


def test_weekends_and_national_holidays_are_not_working_days() -> None:
    calendar = Calendar()
    # 17 August 2026 (Independence Day) is a Monday; 15-16 August a weekend.
    assert date(2026, 8, 17) in national_holidays(2026)
    assert not calendar.is_working_day(date(2026, 8, 15))
    assert not calendar.is_working_day(date(2026, 8, 17))
    assert calendar.is_working_day(date(2026, 8, 18))
    # Friday 14 August + 1 working day is Tuesday 18 August.
    assert calendar.add(date(2026, 8, 14), 1) == date(2026, 8, 18)
    assert calendar.between(date(2026, 8, 14), date(2026, 8, 19)) == 2


def test_a_regional_day_off_is_skipped_too() -> None:
    calendar = Calendar(local=frozenset({date(2026, 8, 18)}))
    assert calendar.add(date(2026, 8, 14), 1) == date(2026, 8, 19)
    assert calendar.between(date(2026, 8, 14), date(2026, 8, 21)) == 3


def test_the_clock_of_a_week_across_weekend_holiday_and_day_off() -> None:
    # Mon 10 Aug 2026 + 5 working days: 11,12,13,14 then Tue 18 is local, Wed 19.
    calendar = Calendar(local=frozenset({date(2026, 8, 18)}))
    assert calendar.add(date(2026, 8, 10), 5) == date(2026, 8, 19)


def test_a_pause_stops_the_clock_and_pushes_the_deadline() -> None:
    calendar = Calendar()
    start = date(2026, 3, 2)  # Monday
    pauses = [(date(2026, 3, 3), date(2026, 3, 5))]  # back with the applicant Tue..Thu
    assert calendar.elapsed(pauses, start, date(2026, 3, 6)) == 2
    assert calendar.deadline([], start, 3, start) == date(2026, 3, 5)
    assert calendar.deadline(pauses, start, 3, date(2026, 3, 6)) == date(2026, 3, 9)
    # An open pause keeps moving the deadline until the application comes back.
    assert calendar.deadline([(date(2026, 3, 3), None)], start, 3, date(2026, 3, 10)) > date(
        2026, 3, 10
    )


def test_a_calendar_loads_the_days_off_of_a_long_span_in_one_query(medan: Tenant) -> None:
    with schema_context(medan.schema_name):
        HariLibur.objects.create(tanggal=date(2026, 3, 4), nama="Libur daerah")
        with CaptureQueriesContext(connection) as queries:
            calendar = calendar_for(date(2026, 1, 1), date(2026, 12, 31))
            due = calendar.add(date(2026, 3, 2), 60)
            elapsed = calendar.between(date(2026, 3, 2), due)
        assert len(queries.captured_queries) == 1
        assert elapsed == 60
        assert not calendar.is_working_day(date(2026, 3, 4))
