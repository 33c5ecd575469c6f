"""Generating the copy's statements from the source's catalog rows, in pg_restore's order.

pre_data: functions, free-standing sequences, tables (CREATE TABLE ... LIKE the source, with the
keys of empty tables inline), identity columns and re-pointed defaults/checks; data: one
INSERT ... SELECT per table; post_data: sequence values, OWNED BY, indexes, keys, foreign keys,
triggers, views and comments. Every name and definition is the source's own.
"""

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from provisioning.clone._common import quote_ident
from provisioning.clone.catalog import Catalog
from provisioning.errors import CloneError


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


@dataclass(frozen=True)
class ClonePlan:
    """Statements that recreate a schema's content, to run with search_path set to the target."""

    source: str
    fingerprint: str
    pre_data: list[str] = field(default_factory=list)
    data: list[str] = field(default_factory=list)
    post_data: list[str] = field(default_factory=list)
    tables: list[str] = field(default_factory=list)

    def data_statement(self) -> list[str]:
        """Every table's copy as ONE statement (data-modifying CTEs): planned and run at once."""
        if not self.data:
            return []
        ctes = ",\n".join(f"c{i} AS ({insert})" for i, insert in enumerate(self.data))
        return [f"WITH {ctes}\nSELECT 1"]

    def script(self) -> str:
        return ";\n".join([*self.pre_data, *self.data_statement(), *self.post_data]) + ";"


def _strip_prefix(definition: str, prefixes: list[str], what: str) -> str:
    for prefix, replacement in prefixes_pairs(prefixes):
        if definition.startswith(prefix):
            return replacement + definition[len(prefix) :]
    raise CloneError(
        _("Definisi %(what)s tidak dikenali: %(definition)s")
        % {"what": what, "definition": definition[:120]}
    )


def prefixes_pairs(prefixes: list[str]) -> list[tuple[str, str]]:
    """Each qualified prefix paired with its unqualified form (the odd items)."""
    return [(prefixes[i], prefixes[i + 1]) for i in range(0, len(prefixes), 2)]


def plan_generate(catalog: Catalog, *, fingerprint: str = "") -> ClonePlan:
    """The statements recreating the catalog's schema, to run with search_path at the target."""
    source = catalog.source
    plan = ClonePlan(source=source, fingerprint=fingerprint)
    sequences = catalog.sequences
    tables = catalog.tables
    columns = catalog.columns
    repoint = catalog.repoint
    tree_tables = catalog.tree_tables
    constraints = catalog.constraints
    empty_tables = catalog.empty_tables
    q_source = quote_ident(source)

    # Functions first: defaults, checks and triggers may call them.
    for definition in catalog.functions:
        plan.pre_data.append(
            _strip_prefix(
                definition,
                [
                    f"CREATE OR REPLACE FUNCTION {q_source}.",
                    "CREATE FUNCTION ",
                    f"CREATE OR REPLACE FUNCTION {source}.",
                    "CREATE FUNCTION ",
                    f"CREATE OR REPLACE PROCEDURE {q_source}.",
                    "CREATE PROCEDURE ",
                    f"CREATE OR REPLACE PROCEDURE {source}.",
                    "CREATE PROCEDURE ",
                ],
                "fungsi",
            )
        )

    # Sequences, with the column that owns them (deptype a: serial/OWNED BY, i: identity).
    identity: dict[tuple[str, str], str] = {}
    identity_names: dict[tuple[str, str], str] = {}
    owned_by: list[str] = []
    for (
        name,
        seqtype,
        start,
        inc,
        minv,
        maxv,
        cache,
        cycle,
        deptype,
        table,
        column,
        coltype,
    ) in sequences:
        options = (
            f"START WITH {start} INCREMENT BY {inc} MINVALUE {minv} MAXVALUE {maxv} "
            f"CACHE {cache} {'CYCLE' if cycle else 'NO CYCLE'}"
        )
        if deptype == "i":
            identity[(table, column)] = f"SEQUENCE NAME {quote_ident(name)} {options}"
            identity_names[(table, column)] = name
            # Identity sequences take the column's type when ADD GENERATED makes them, but bigint
            # when LIKE ... INCLUDING IDENTITY does (PostgreSQL 15): state the type when in doubt.
            if seqtype != coltype or seqtype != "bigint":
                owned_by.append(f"ALTER SEQUENCE {quote_ident(name)} AS {seqtype}")
            continue
        plan.pre_data.append(f"CREATE SEQUENCE {quote_ident(name)} AS {seqtype} {options}")
        if deptype == "a":
            owned_by.append(
                f"ALTER SEQUENCE {quote_ident(name)} OWNED BY "
                f"{quote_ident(table)}.{quote_ident(column)}"
            )

    keys: dict[str, list[str]] = {}
    foreign: dict[str, list[str]] = {}
    comments: list[str] = []
    for _relid, table, name, contype, definition, comment in constraints:
        if contype != "f" and table in tree_tables:
            continue
        (foreign if contype == "f" else keys).setdefault(table, []).append(
            f"CONSTRAINT {quote_ident(name)} {definition}"
        )
        if comment is not None:
            comments.append(
                f"COMMENT ON CONSTRAINT {quote_ident(name)} ON {quote_ident(table)} "
                f"IS {_literal(comment)}"
            )

    like = (
        "INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING GENERATED INCLUDING COMMENTS "
        "INCLUDING STORAGE INCLUDING COMPRESSION"
    )
    for relid, table, persistence, reloptions, comment in tables:
        q_table = quote_ident(table)
        unlogged = "UNLOGGED " if persistence == "u" else ""
        options = f" WITH ({', '.join(reloptions)})" if reloptions else ""
        including = f"{like} INCLUDING INDEXES" if table in tree_tables else like
        # LIKE copies identity too (sequence options included) under the default sequence name;
        # when the source's sequence has another name (a renamed table), ALTER adds it instead.
        identity_columns = [c[0] for c in columns.get(relid, []) if c[1]]
        identity_by_like = all(
            identity_names.get((table, c)) == f"{table}_{c}_seq" and len(f"{table}_{c}_seq") <= 63
            for c in identity_columns
        )
        if identity_columns and identity_by_like:
            including += " INCLUDING IDENTITY"
        # Keys of a table the source holds empty are declared in CREATE TABLE: cheaper than
        # ALTER TABLE ... ADD after the (empty) copy. Should rows have arrived since the plan was
        # made, this stays correct, only the index is then filled row by row.
        inline = keys.pop(table, []) if table in empty_tables else []
        elements = ", ".join([f"LIKE {q_source}.{q_table} {including}", *inline])
        plan.pre_data.append(f"CREATE {unlogged}TABLE {q_table} ({elements}){options}")
        if table in tree_tables:
            plan.pre_data.append(_index_rename_block(f"{q_source}.{q_table}", q_table))
        insert_columns: list[str] = []
        has_identity = False
        for name, ident, generated in columns.get(relid, []):
            if ident and identity_by_like:
                has_identity = True
            elif ident:
                kind = "ALWAYS" if ident == "a" else "BY DEFAULT"
                seq = identity.get((table, name), "")
                plan.pre_data.append(
                    f"ALTER TABLE ONLY {q_table} ALTER COLUMN {quote_ident(name)} "
                    f"ADD GENERATED {kind} AS IDENTITY ({seq})"
                )
                has_identity = True
            if not generated:
                insert_columns.append(quote_ident(name))
        if comment is not None:
            comments.append(f"COMMENT ON TABLE {q_table} IS {_literal(comment)}")
        plan.tables.append(table)
        if insert_columns:
            cols = ", ".join(insert_columns)
            overriding = " OVERRIDING SYSTEM VALUE" if has_identity else ""
            plan.data.append(
                f"INSERT INTO {q_table} ({cols}){overriding} "
                f"SELECT {cols} FROM {q_source}.{q_table}"
            )
    # After the free-standing sequences exist (pre_data order: functions, sequences, tables).
    for table, name, definition, kind in repoint:
        if kind == "check":
            plan.pre_data.append(
                f"ALTER TABLE ONLY {quote_ident(table)} DROP CONSTRAINT {quote_ident(name)}, "
                f"ADD CONSTRAINT {quote_ident(name)} {definition}"
            )
        else:
            plan.pre_data.append(
                f"ALTER TABLE ONLY {quote_ident(table)} ALTER COLUMN {quote_ident(name)} "
                f"SET DEFAULT {definition}"
            )

    # Sequence values as the source holds them now (read at run time, in one statement; scalar
    # subqueries, as a join of many sequences would send the planner into a long join search).
    if sequences:
        calls = []
        for row in sequences:
            relation = f"{q_source}.{quote_ident(row[0])}"
            calls.append(
                f"pg_catalog.setval({_literal(quote_ident(row[0]))}, "
                f"(SELECT last_value FROM {relation}), (SELECT is_called FROM {relation}))"
            )
        plan.post_data.append(f"SELECT {', '.join(calls)}")
    plan.post_data.extend(owned_by)

    # Indexes that back no constraint, then keys, then foreign keys (as pg_restore does).
    for table, index_name, definition in catalog.indexes:
        if table in tree_tables:
            continue
        q_index = quote_ident(index_name)
        prefixes: list[str] = []
        for unique in ("", "UNIQUE "):
            for only in ("", "ONLY "):
                for qualifier in (q_source, source):
                    for label in (q_index, index_name):
                        head = f"CREATE {unique}INDEX {label} ON {only}"
                        prefixes += [f"{head}{qualifier}.", head]
        plan.post_data.append(_strip_prefix(definition, prefixes, "indeks"))
    # One ALTER TABLE per table and kind: fewer statements, one lock and invalidation each.
    for group in (keys, foreign):
        for table, clauses in sorted(group.items()):
            plan.post_data.append(
                f"ALTER TABLE ONLY {quote_ident(table)} " + ", ".join(f"ADD {c}" for c in clauses)
            )

    for _table, definition in catalog.triggers:
        pattern = re.compile(
            r" ON (?:ONLY )?(?:" + re.escape(q_source) + "|" + re.escape(source) + r")\."
        )
        rewritten, count = pattern.subn(" ON ", definition, count=1)
        if count != 1:
            raise CloneError(
                _("Definisi trigger tidak dikenali: %(definition)s")
                % {"definition": definition[:120]}
            )
        plan.post_data.append(rewritten)

    for view, definition in catalog.views:
        plan.post_data.append(f"CREATE VIEW {quote_ident(view)} AS {definition.rstrip(';')}")
    plan.post_data.extend(comments)
    return plan


_INDEX_RENAME = """DO $clone$
DECLARE
    src_table regclass := '%(source)s'::regclass;
    dst_table regclass := '%(target)s'::regclass;
    used oid[] := '{}';
    renames text[] := '{}';
    r record;
    m record;
    i int := 0;
BEGIN
    FOR r IN
        SELECT x.indexrelid, c.relname, k.conname AS con,
               regexp_replace(pg_get_indexdef(x.indexrelid), '^.*? ON \\S+ ', '') AS def
          FROM pg_index x JOIN pg_class c ON c.oid = x.indexrelid
          LEFT JOIN pg_constraint k ON k.conindid = x.indexrelid AND k.conrelid = x.indrelid
               AND k.contype IN ('p', 'u', 'x')
         WHERE x.indrelid = dst_table ORDER BY x.indexrelid
    LOOP
        SELECT x.indexrelid, c.relname INTO m
          FROM pg_index x JOIN pg_class c ON c.oid = x.indexrelid
         WHERE x.indrelid = src_table AND NOT x.indexrelid = ANY (used)
           AND regexp_replace(pg_get_indexdef(x.indexrelid), '^.*? ON \\S+ ', '') = r.def
           AND EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid
                        AND k.conrelid = x.indrelid AND k.contype IN ('p', 'u', 'x'))
               = (r.con IS NOT NULL)
         ORDER BY x.indexrelid LIMIT 1;
        IF NOT FOUND THEN
            RAISE EXCEPTION 'clone: no source index matches %%', r.relname;
        END IF;
        used := used || m.indexrelid;
        i := i + 1;
        IF r.con IS NOT NULL THEN
            EXECUTE format('ALTER TABLE %%s RENAME CONSTRAINT %%I TO %%I', dst_table, r.con,
                           '__clone_' || i);
        ELSE
            EXECUTE format('ALTER INDEX %%I RENAME TO %%I', r.relname, '__clone_' || i);
        END IF;
        renames := renames || ARRAY[m.relname, (r.con IS NOT NULL)::text];
    END LOOP;
    FOR i IN 1 .. coalesce(array_length(renames, 1), 0) / 2 LOOP
        IF renames[2 * i] = 'true' THEN
            EXECUTE format('ALTER TABLE %%s RENAME CONSTRAINT %%I TO %%I', dst_table,
                           '__clone_' || i, renames[2 * i - 1]);
        ELSE
            EXECUTE format('ALTER INDEX %%I RENAME TO %%I', '__clone_' || i, renames[2 * i - 1]);
        END IF;
    END LOOP;
END
$clone$"""


def _index_rename_block(source_table: str, target_table: str) -> str:
    """Server-side: give the indexes LIKE made on target_table the names of the source's twins
    (matched by definition), through temporary names so no rename collides."""
    return _INDEX_RENAME % {
        "source": source_table.replace("'", "''"),
        "target": target_table.replace("'", "''"),
    }
