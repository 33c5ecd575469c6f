"""Reads across every region stay within PostgreSQL's lock table (found by bench/scale.py: one
UNION ALL over 1,000 regions ran out of shared memory). Each cross-schema statement covers at
most SCHEMAS_PER_STATEMENT schemas, whatever the number of regions; the answer is the same."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from provisioning import crossschema
from tenants.models import Tenant


def _cross_schema_statements(queries: CaptureQueriesContext, schemas: list[str]) -> list[str]:
    """Statements naming a region's tables by schema (the catalog queries name none)."""
    return [
        q["sql"] for q in queries.captured_queries if any(f'"{s}".' in q["sql"] for s in schemas)
    ]


@pytest.mark.parametrize("per_statement", [1, 2, 100])
def test_cross_schema_reads_are_split_and_answer_alike(
    medan: Tenant, buol: Tenant, monkeypatch: pytest.MonkeyPatch, per_statement: int
) -> None:
    schemas = [medan.schema_name, buol.schema_name, "template_master"]
    expected_activity = crossschema.region_activity(schemas)
    expected_missing = crossschema.migrations_missing(schemas, [("accounts", "0001_initial")])
    monkeypatch.setattr(crossschema, "SCHEMAS_PER_STATEMENT", per_statement)
    with CaptureQueriesContext(connection) as queries:
        activity = crossschema.region_activity(schemas)
        missing = crossschema.migrations_missing(schemas, [("accounts", "0001_initial")])
    assert activity == expected_activity and set(activity) == set(schemas)
    assert missing == expected_missing and set(missing) == set(schemas)
    # region_activity and the migrations count: one statement per chunk each
    chunks = -(-len(schemas) // per_statement)
    statements = _cross_schema_statements(queries, schemas)
    assert len(statements) == 2 * chunks
    for sql in statements:
        assert sum(sql.count(f'"{s}".') > 0 for s in schemas) <= per_statement
