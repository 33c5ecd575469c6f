"""Timing and statement counting shared by the benchmarks."""

import statistics
import time
from collections.abc import Callable
from typing import Any


def median(action: Callable[[], object], runs: int) -> float:
    """The median wall time of `runs` calls of `action`, in seconds."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def counted(action: Callable[[], object]) -> int:
    """How many SQL statements one call of `action` sends on the default connection."""
    from django.db import connection

    count = [0]

    def counter(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        count[0] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counter):
        action()
    return count[0]
