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
    """The statements recreating the catalog's schema, to run with search_path at the target:
    functions, sequences and tables (pre_data), rows (data), then sequence values, indexes, keys,
    foreign keys, triggers, views and comments (post_data), the order pg_restore uses."""
    plan = ClonePlan(source=catalog.source, fingerprint=fingerprint)
    _plan_functions(plan, catalog)
    identity = _plan_sequences(plan, catalog)
    keys, foreign, comments = _plan_constraints(catalog)
    _plan_tables(plan, catalog, identity, keys, comments)
    _plan_repoint(plan, catalog)
    _plan_sequence_values(plan, catalog)
    plan.post_data.extend(identity.owned_by)
    _plan_indexes(plan, catalog)
    # One ALTER TABLE per table and kind: fewer statements, one lock and invalidation each.
    for group in (keys, foreign):
        for table, clauses in sorted(group.items()):
            plan.post_data.append(
                f"ALTER TABLE ONLY {quote_ident(table)} " + ", ".join(f"ADD {c}" for c in clauses)
            )
    _plan_triggers(plan, catalog)
    for view, definition in catalog.views:
        plan.post_data.append(f"CREATE VIEW {quote_ident(view)} AS {definition.rstrip(';')}")
    plan.post_data.extend(comments)
    return plan


@dataclass
class _Identity:
    """Identity sequences by (table, column): their clause and name; ALTERs run after the data."""

    clauses: dict[tuple[str, str], str] = field(default_factory=dict)
    names: dict[tuple[str, str], str] = field(default_factory=dict)
    owned_by: list[str] = field(default_factory=list)


def _plan_functions(plan: ClonePlan, catalog: Catalog) -> None:
    """Functions first: defaults, checks and triggers may call them."""
    source, q_source = catalog.source, quote_ident(catalog.source)
    prefixes: list[str] = []
    for kind in ("FUNCTION", "PROCEDURE"):
        for qualifier in (q_source, source):
            prefixes += [f"CREATE OR REPLACE {kind} {qualifier}.", f"CREATE {kind} "]
    for definition in catalog.functions:
        plan.pre_data.append(_strip_prefix(definition, prefixes, "fungsi"))


def _plan_sequences(plan: ClonePlan, catalog: Catalog) -> _Identity:
    """Free-standing sequences are created; identity ones are remembered for their columns
    (deptype a: serial/OWNED BY, i: identity)."""
    identity = _Identity()
    for row in catalog.sequences:
        name, seqtype, start, inc, minv, maxv, cache, cycle, deptype, table, column, coltype = row
        options = (
            f"START WITH {start} INCREMENT BY {inc} MINVALUE {minv} MAXVALUE {maxv} "
            f"CACHE {cache} {'CYCLE' if cycle else 'NO CYCLE'}"
        )
        if deptype == "i":
            identity.clauses[(table, column)] = f"SEQUENCE NAME {quote_ident(name)} {options}"
            identity.names[(table, column)] = name
            # Identity sequences take the column's type when ADD GENERATED makes them, but bigint
            # when LIKE ... INCLUDING IDENTITY does (PostgreSQL 15): state the type when in doubt.
            if seqtype != coltype or seqtype != "bigint":
                identity.owned_by.append(f"ALTER SEQUENCE {quote_ident(name)} AS {seqtype}")
            continue
        plan.pre_data.append(f"CREATE SEQUENCE {quote_ident(name)} AS {seqtype} {options}")
        if deptype == "a":
            identity.owned_by.append(
                f"ALTER SEQUENCE {quote_ident(name)} OWNED BY "
                f"{quote_ident(table)}.{quote_ident(column)}"
            )
    return identity


def _plan_constraints(
    catalog: Catalog,
) -> tuple[dict[str, list[str]], dict[str, list[str]], list[str]]:
    """Keys and foreign keys per table (as clauses), and their comments. Tables whose indexes
    come by LIKE (tree_tables) get their keys that way too."""
    keys: dict[str, list[str]] = {}
    foreign: dict[str, list[str]] = {}
    comments: list[str] = []
    for _relid, table, name, contype, definition, comment in catalog.constraints:
        if contype != "f" and table in catalog.tree_tables:
            continue
        (foreign if contype == "f" else keys).setdefault(table, []).append(
            f"CONSTRAINT {quote_ident(name)} {definition}"
        )
        if comment is not None:
            comments.append(
                f"COMMENT ON CONSTRAINT {quote_ident(name)} ON {quote_ident(table)} "
                f"IS {_literal(comment)}"
            )
    return keys, foreign, comments


_LIKE = (
    "INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING GENERATED INCLUDING COMMENTS "
    "INCLUDING STORAGE INCLUDING COMPRESSION"
)


def _plan_tables(
    plan: ClonePlan,
    catalog: Catalog,
    identity: _Identity,
    keys: dict[str, list[str]],
    comments: list[str],
) -> None:
    """CREATE TABLE ... (LIKE source) per table, its identity columns, and its rows' copy."""
    q_source = quote_ident(catalog.source)
    for relid, table, persistence, reloptions, comment in catalog.tables:
        q_table = quote_ident(table)
        columns = catalog.columns.get(relid, [])
        unlogged = "UNLOGGED " if persistence == "u" else ""
        options = f" WITH ({', '.join(reloptions)})" if reloptions else ""
        including = f"{_LIKE} INCLUDING INDEXES" if table in catalog.tree_tables else _LIKE
        # LIKE copies identity too (sequence options included) under the default sequence name;
        # when the source's sequence has another name (a renamed table), ALTER adds it instead.
        identity_columns = [c[0] for c in columns if c[1]]
        identity_by_like = all(
            identity.names.get((table, c)) == f"{table}_{c}_seq" and len(f"{table}_{c}_seq") <= 63
            for c in identity_columns
        )
        if identity_columns and identity_by_like:
            including += " INCLUDING IDENTITY"
        # Keys of a table the source holds empty are declared in CREATE TABLE: cheaper than
        # ALTER TABLE ... ADD after the (empty) copy. Should rows have arrived since the plan was
        # made, this stays correct, only the index is then filled row by row.
        inline = keys.pop(table, []) if table in catalog.empty_tables else []
        elements = ", ".join([f"LIKE {q_source}.{q_table} {including}", *inline])
        plan.pre_data.append(f"CREATE {unlogged}TABLE {q_table} ({elements}){options}")
        if table in catalog.tree_tables:
            plan.pre_data.append(_index_rename_block(f"{q_source}.{q_table}", q_table))
        insert_columns: list[str] = []
        has_identity = False
        for name, ident, generated in columns:
            if ident and identity_by_like:
                has_identity = True
            elif ident:
                kind = "ALWAYS" if ident == "a" else "BY DEFAULT"
                seq = identity.clauses.get((table, name), "")
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


def _plan_repoint(plan: ClonePlan, catalog: Catalog) -> None:
    """Defaults and CHECKs naming a source object, re-pointed (after the sequences exist)."""
    for table, name, definition, kind in catalog.repoint:
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


def _plan_sequence_values(plan: ClonePlan, catalog: Catalog) -> None:
    """Sequence values as the source holds them now (read at run time, in one statement; scalar
    subqueries, as a join of many sequences would send the planner into a long join search)."""
    if not catalog.sequences:
        return
    q_source = quote_ident(catalog.source)
    calls = []
    for row in catalog.sequences:
        relation = f"{q_source}.{quote_ident(row[0])}"
        calls.append(
            f"pg_catalog.setval({_literal(quote_ident(row[0]))}, "
            f"(SELECT last_value FROM {relation}), (SELECT is_called FROM {relation}))"
        )
    plan.post_data.append(f"SELECT {', '.join(calls)}")


def _plan_indexes(plan: ClonePlan, catalog: Catalog) -> None:
    """Indexes that back no constraint, before the keys (as pg_restore does)."""
    source, q_source = catalog.source, quote_ident(catalog.source)
    for table, index_name, definition in catalog.indexes:
        if table in catalog.tree_tables:
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


def _plan_triggers(plan: ClonePlan, catalog: Catalog) -> None:
    source, q_source = catalog.source, quote_ident(catalog.source)
    pattern = re.compile(
        r" ON (?:ONLY )?(?:" + re.escape(q_source) + "|" + re.escape(source) + r")\."
    )
    for _table, definition in catalog.triggers:
        rewritten, count = pattern.subn(" ON ", definition, count=1)
        if count != 1:
            raise CloneError(
                _("Definisi trigger tidak dikenali: %(definition)s")
                % {"definition": definition[:120]}
            )
        plan.post_data.append(rewritten)


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
