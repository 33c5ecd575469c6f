"""SQL helpers of the schema copy: identifier quoting and a transaction-local search_path."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


def quote_ident(name: str) -> str:
    """PostgreSQL identifier quoting (always quoted: cheap and never wrong)."""
    return '"' + name.replace('"', '""') + '"'


@contextmanager
def _search_path(cursor: Any, schema: str) -> Iterator[None]:
    """Point search_path at one schema for the rest of this block (transaction-local), then back."""
    cursor.execute("SELECT current_setting('search_path')")
    previous = cursor.fetchone()[0]
    cursor.execute("SELECT set_config('search_path', %s, true)", [quote_ident(schema)])
    try:
        yield
    finally:
        cursor.execute("SELECT set_config('search_path', %s, true)", [previous])
