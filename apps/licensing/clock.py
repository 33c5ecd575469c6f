"""The working-day clock: weekends, Indonesia's national holidays (the `holidays` package) and
the region's own days off are skipped; a pause (application back with the applicant) stops it.

A `Calendar` loads the region's days off for a span once: computing the clock of an
application with ten steps costs one query, not one per day.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

import holidays
from django.utils import timezone

from apps.licensing.models import HariLibur


def today() -> date:
    """The region's current date (the clock's "now")."""
    return timezone.localdate()


@lru_cache(maxsize=64)
def national_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("ID", years=year).keys())


@dataclass
class Calendar:
    """Days off between `start` and `end` (inclusive), national and the region's own."""

    local: frozenset[date] = field(default_factory=frozenset)

    @classmethod
    def load(cls, start: date, end: date) -> "Calendar":
        days = HariLibur.objects.filter(tanggal__range=(start, end)).values_list(
            "tanggal", flat=True
        )
        return cls(local=frozenset(days))

    def is_working_day(self, day: date) -> bool:
        return (
            day.weekday() < 5 and day not in self.local and day not in national_holidays(day.year)
        )

    def add(self, start: date, days: int) -> date:
        """The day on which `days` working days after `start` (exclusive) have passed; with 0,
        `start` itself (or the next working day if it is a day off)."""
        day = start
        if days <= 0:
            while not self.is_working_day(day):
                day += timedelta(days=1)
            return day
        counted = 0
        while counted < days:
            day += timedelta(days=1)
            if self.is_working_day(day):
                counted += 1
        return day

    def between(self, start: date, end: date) -> int:
        """Working days after `start` up to and including `end` (0 when end <= start)."""
        day, count = start, 0
        while day < end:
            day += timedelta(days=1)
            if self.is_working_day(day):
                count += 1
        return count

    def paused(self, pauses: Iterable[tuple[date, date | None]], start: date, end: date) -> int:
        """Working days within (start, end] that fall inside a pause (an open one runs to end)."""
        total = 0
        for p_start, p_end in pauses:
            lo = max(p_start, start)
            hi = min(p_end or end, end)
            if hi > lo:
                total += self.between(lo, hi)
        return total

    def elapsed(self, pauses: Iterable[tuple[date, date | None]], start: date, end: date) -> int:
        """Working days the clock ran between start and end, pauses excluded."""
        pauses = list(pauses)
        return self.between(start, end) - self.paused(pauses, start, end)

    def deadline(
        self, pauses: Iterable[tuple[date, date | None]], start: date, days: int, today: date
    ) -> date:
        """Due date of a step of `days` working days begun on `start`, pushed back by the
        working days it spent paused (up to `today` for an open pause)."""
        due = self.add(start, days)
        pauses = list(pauses)
        extra = self.paused(pauses, start, max(today, due))
        return self.add(due, extra) if extra else due


def calendar_for(start: date, end: date) -> Calendar:
    # Deadlines may reach past `end` by the pauses: load a margin of a year.
    return Calendar.load(start - timedelta(days=7), end + timedelta(days=366))
