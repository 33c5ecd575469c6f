"""A faithful server-side copy of one schema into a new one, generated from the catalog.

The copy follows pg_restore's order inside the caller's transaction: the schema, its functions and
free-standing sequences, the tables (CREATE TABLE ... LIKE, which copies columns, NOT NULL and CHECK
constraints with their names, default expressions as trees, and identity), then the rows
(INSERT ... SELECT, no round trip per row), the sequence values, then indexes,
primary/unique/exclusion constraints, foreign keys, triggers and views. Every constraint and
index keeps the source's name and definition (pg_get_constraintdef, pg_get_indexdef), unlike
django-tenants' clone_schema, which rebuilds unique constraints under PostgreSQL's default names.

The DDL is generated once per state of the source catalog (a fingerprint query of well under a
millisecond decides) and is schema-independent: it is produced with `search_path` set to the source,
so references inside the source come out unqualified, and run with `search_path` set to the target.
Object kinds Django does not create (types, partitions, inheritance, materialized views, rules,
policies) are refused with CloneError rather than copied half-way.
"""

import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction

from provisioning.errors import CloneError


def quote_ident(name: str) -> str:
    """PostgreSQL identifier quoting (always quoted: cheap and never wrong)."""
    return '"' + name.replace('"', '""') + '"'


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


_cache: dict[tuple[str, str], ClonePlan] = {}
_cache_lock = threading.Lock()

_FINGERPRINT_SQL = """
SELECT md5(coalesce(string_agg(item, ',' ORDER BY item), '')) FROM (
    SELECT concat_ws(':', 'c', c.oid, c.relname, c.relkind, c.relnatts, c.relpersistence) AS item
      FROM pg_class c WHERE c.relnamespace = %(ns)s::regnamespace
    UNION ALL
    SELECT concat_ws(':', 'k', k.oid, k.conname, k.convalidated)
      FROM pg_constraint k WHERE k.connamespace = %(ns)s::regnamespace
    UNION ALL
    SELECT concat_ws(':', 'a', a.attrelid, a.attnum, a.attname, a.atttypid, a.atttypmod,
                     a.attnotnull, a.attisdropped, a.attidentity, a.attgenerated, a.atthasdef,
                     a.attcollation)
      FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
     WHERE c.relnamespace = %(ns)s::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm')
       AND a.attnum > 0
    UNION ALL
    SELECT concat_ws(':', 'd', d.oid, d.adrelid, d.adnum)
      FROM pg_attrdef d JOIN pg_class c ON c.oid = d.adrelid
     WHERE c.relnamespace = %(ns)s::regnamespace
    UNION ALL
    SELECT concat_ws(':', 't', t.oid, t.tgname) FROM pg_trigger t
      JOIN pg_class c ON c.oid = t.tgrelid WHERE c.relnamespace = %(ns)s::regnamespace
    UNION ALL
    SELECT concat_ws(':', 'p', p.oid, p.proname) FROM pg_proc p
     WHERE p.pronamespace = %(ns)s::regnamespace
    UNION ALL
    SELECT concat_ws(':', 'y', t.oid, t.typname) FROM pg_type t
     WHERE t.typnamespace = %(ns)s::regnamespace
    UNION ALL
    SELECT concat_ws(':', 'd', d.objoid, d.objsubid, md5(d.description)) FROM pg_description d
      JOIN pg_class c ON c.oid = d.objoid AND d.classoid = 'pg_class'::regclass
     WHERE c.relnamespace = %(ns)s::regnamespace
    UNION ALL
    SELECT concat_ws(':', 's', s.seqrelid, s.seqincrement, s.seqmin, s.seqmax, s.seqstart,
                     s.seqcache, s.seqcycle, s.seqtypid)
      FROM pg_sequence s JOIN pg_class c ON c.oid = s.seqrelid
     WHERE c.relnamespace = %(ns)s::regnamespace
) items
"""


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


def _fetch(cursor: Any, sql: str, schema: str) -> list[tuple[Any, ...]]:
    cursor.execute(sql, {"ns": quote_ident(schema)})
    return list(cursor.fetchall())


def _strip_prefix(definition: str, prefixes: list[str], what: str) -> str:
    for prefix, replacement in prefixes_pairs(prefixes):
        if definition.startswith(prefix):
            return replacement + definition[len(prefix) :]
    raise CloneError(f"Definisi {what} tidak dikenali: {definition[:120]}")


def prefixes_pairs(prefixes: list[str]) -> list[tuple[str, str]]:
    """Each qualified prefix paired with its unqualified form (the odd items)."""
    return [(prefixes[i], prefixes[i + 1]) for i in range(0, len(prefixes), 2)]


def _refuse_unsupported(cursor: Any, source: str) -> None:
    rows = _fetch(
        cursor,
        """
        SELECT 'relation ' || c.relname || ' (relkind ' || c.relkind::text || ')'
          FROM pg_class c WHERE c.relnamespace = %(ns)s::regnamespace
           AND (c.relkind NOT IN ('r', 'S', 'i', 'v') OR c.relispartition)
        UNION ALL
        SELECT 'type ' || t.typname FROM pg_type t
         WHERE t.typnamespace = %(ns)s::regnamespace AND t.typtype IN ('e', 'd', 'r', 'm')
        UNION ALL
        SELECT 'inheritance of ' || i.inhrelid::regclass::text FROM pg_inherits i
          JOIN pg_class c ON c.oid = i.inhrelid WHERE c.relnamespace = %(ns)s::regnamespace
        UNION ALL
        SELECT 'rule ' || r.rulename FROM pg_rewrite r JOIN pg_class c ON c.oid = r.ev_class
         WHERE c.relnamespace = %(ns)s::regnamespace AND c.relkind = 'r'
        UNION ALL
        SELECT 'policy ' || p.polname FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid
         WHERE c.relnamespace = %(ns)s::regnamespace
        UNION ALL
        SELECT 'unvalidated check ' || k.conname FROM pg_constraint k
         WHERE k.connamespace = %(ns)s::regnamespace AND k.contype = 'c' AND NOT k.convalidated
        UNION ALL
        SELECT 'function ' || p.proname FROM pg_proc p
         WHERE p.pronamespace = %(ns)s::regnamespace AND p.prokind NOT IN ('f', 'p')
        """,
        source,
    )
    if rows:
        kinds = ", ".join(sorted(r[0] for r in rows))
        raise CloneError(f"Skema {source} memuat objek yang tidak dapat disalin: {kinds}.")


def plan_build(*, source: str, fingerprint: str = "") -> ClonePlan:
    """Read the source catalog and produce the statements; runs in its own savepoint."""
    plan = ClonePlan(source=source, fingerprint=fingerprint)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", [source])
        if cursor.fetchone() is None:
            raise CloneError(f"Skema sumber {source} tidak ada.")
        _refuse_unsupported(cursor, source)
        with _search_path(cursor, source):
            _plan_fill(cursor, plan, source)
    return plan


def _plan_fill(cursor: Any, plan: ClonePlan, source: str) -> None:
    q_source = quote_ident(source)

    # Functions first: defaults, checks and triggers may call them.
    for (definition,) in _fetch(
        cursor,
        """SELECT pg_get_functiondef(p.oid) FROM pg_proc p
            WHERE p.pronamespace = %(ns)s::regnamespace ORDER BY p.oid""",
        source,
    ):
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
    sequences = _fetch(
        cursor,
        """
        SELECT c.relname, format_type(s.seqtypid, NULL), s.seqstart, s.seqincrement, s.seqmin,
               s.seqmax, s.seqcache, s.seqcycle, d.deptype, tc.relname, a.attname,
               format_type(a.atttypid, NULL)
          FROM pg_class c
          JOIN pg_sequence s ON s.seqrelid = c.oid
          LEFT JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = c.oid
               AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')
          LEFT JOIN pg_class tc ON tc.oid = d.refobjid
          LEFT JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
         WHERE c.relnamespace = %(ns)s::regnamespace AND c.relkind = 'S'
         ORDER BY c.relname
        """,
        source,
    )
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

    tables = _fetch(
        cursor,
        """SELECT c.oid, c.relname, c.relpersistence, c.reloptions,
                  obj_description(c.oid, 'pg_class')
             FROM pg_class c WHERE c.relnamespace = %(ns)s::regnamespace AND c.relkind = 'r'
            ORDER BY c.relname""",
        source,
    )
    columns: dict[int, list[tuple[Any, ...]]] = {}
    for row in _fetch(
        cursor,
        """
        SELECT a.attrelid, a.attname, a.attidentity, a.attgenerated
          FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
         WHERE c.relnamespace = %(ns)s::regnamespace AND c.relkind = 'r'
           AND a.attnum > 0 AND NOT a.attisdropped
         ORDER BY a.attrelid, a.attnum
        """,
        source,
    ):
        columns.setdefault(row[0], []).append(row[1:])

    # Defaults and CHECKs are copied as expression trees by LIKE (re-parsing their deparsed text
    # can yield a different tree, e.g. for IN lists). Those that point at an object of the source
    # schema (a serial's sequence, a function) are re-pointed from their deparsed text instead.
    repoint = _fetch(
        cursor,
        """
        SELECT DISTINCT c.relname, a.attname, pg_get_expr(ad.adbin, ad.adrelid), NULL::text
          FROM pg_attrdef ad
          JOIN pg_class c ON c.oid = ad.adrelid
          JOIN pg_attribute a ON a.attrelid = ad.adrelid AND a.attnum = ad.adnum
          JOIN pg_depend d ON d.classid = 'pg_attrdef'::regclass AND d.objid = ad.oid
         WHERE c.relnamespace = %(ns)s::regnamespace AND d.deptype = 'n' AND a.attgenerated = ''
           AND ((d.refclassid = 'pg_class'::regclass AND d.refobjid <> ad.adrelid AND EXISTS (
                   SELECT 1 FROM pg_class r WHERE r.oid = d.refobjid
                      AND r.relnamespace = %(ns)s::regnamespace))
             OR (d.refclassid = 'pg_proc'::regclass AND EXISTS (
                   SELECT 1 FROM pg_proc p WHERE p.oid = d.refobjid
                      AND p.pronamespace = %(ns)s::regnamespace)))
        UNION ALL
        SELECT DISTINCT c.relname, k.conname, pg_get_constraintdef(k.oid), 'check'
          FROM pg_constraint k
          JOIN pg_class c ON c.oid = k.conrelid
          JOIN pg_depend d ON d.classid = 'pg_constraint'::regclass AND d.objid = k.oid
         WHERE k.connamespace = %(ns)s::regnamespace AND k.contype = 'c' AND d.deptype = 'n'
           AND ((d.refclassid = 'pg_class'::regclass AND d.refobjid <> k.conrelid AND EXISTS (
                   SELECT 1 FROM pg_class r WHERE r.oid = d.refobjid
                      AND r.relnamespace = %(ns)s::regnamespace))
             OR (d.refclassid = 'pg_proc'::regclass AND EXISTS (
                   SELECT 1 FROM pg_proc p WHERE p.oid = d.refobjid
                      AND p.pronamespace = %(ns)s::regnamespace)))
        """,
        source,
    )

    # Expression and partial indexes, too, can deparse to text that re-parses to another tree
    # (allauth's `type IN (...)` predicate does): tables holding one take their indexes from
    # LIKE ... INCLUDING INDEXES (trees copied), renamed to the source's names right after.
    tree_tables = {
        r[0]
        for r in _fetch(
            cursor,
            """SELECT DISTINCT tc.relname FROM pg_index i JOIN pg_class tc ON tc.oid = i.indrelid
                WHERE tc.relnamespace = %(ns)s::regnamespace AND tc.relkind = 'r'
                  AND (i.indexprs IS NOT NULL OR i.indpred IS NOT NULL)""",
            source,
        )
    }
    constraints = _fetch(
        cursor,
        """
        SELECT k.conrelid, c.relname, k.conname, k.contype, pg_get_constraintdef(k.oid),
               obj_description(k.oid, 'pg_constraint')
          FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid
         WHERE k.connamespace = %(ns)s::regnamespace AND k.contype IN ('p', 'u', 'x', 'f')
           AND c.relkind = 'r'
         ORDER BY c.relname, k.conname
        """,
        source,
    )
    empty_tables: set[str] = set()
    for _relid, table, *_rest in tables:
        cursor.execute(f"SELECT NOT EXISTS (SELECT 1 FROM {q_source}.{quote_ident(table)})")
        if cursor.fetchone()[0]:
            empty_tables.add(table)
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
    for table, index_name, definition in _fetch(
        cursor,
        """
        SELECT tc.relname, ic.relname, pg_get_indexdef(i.indexrelid)
          FROM pg_index i
          JOIN pg_class ic ON ic.oid = i.indexrelid
          JOIN pg_class tc ON tc.oid = i.indrelid
         WHERE tc.relnamespace = %(ns)s::regnamespace AND tc.relkind = 'r'
           AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid
                            AND k.conrelid = i.indrelid AND k.contype IN ('p', 'u', 'x'))
         ORDER BY ic.relname
        """,
        source,
    ):
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

    for _table, definition in _fetch(
        cursor,
        """SELECT c.relname, pg_get_triggerdef(t.oid) FROM pg_trigger t
             JOIN pg_class c ON c.oid = t.tgrelid
            WHERE c.relnamespace = %(ns)s::regnamespace AND NOT t.tgisinternal
            ORDER BY c.relname, t.tgname""",
        source,
    ):
        pattern = re.compile(
            r" ON (?:ONLY )?(?:" + re.escape(q_source) + "|" + re.escape(source) + r")\."
        )
        rewritten, count = pattern.subn(" ON ", definition, count=1)
        if count != 1:
            raise CloneError(f"Definisi trigger tidak dikenali: {definition[:120]}")
        plan.post_data.append(rewritten)

    for view, definition in _fetch(
        cursor,
        """SELECT c.relname, pg_get_viewdef(c.oid) FROM pg_class c
            WHERE c.relnamespace = %(ns)s::regnamespace AND c.relkind = 'v' ORDER BY c.oid""",
        source,
    ):
        plan.post_data.append(f"CREATE VIEW {quote_ident(view)} AS {definition.rstrip(';')}")
    plan.post_data.extend(comments)


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


def plan_for(*, source: str) -> ClonePlan:
    """The cached plan for the source's current catalog state, built on a miss."""
    with connection.cursor() as cursor:
        cursor.execute(_FINGERPRINT_SQL, {"ns": quote_ident(source)})
        fingerprint = str(cursor.fetchone()[0])
    key = (source, fingerprint)
    plan = _cache.get(key)
    if plan is None:
        plan = plan_build(source=source, fingerprint=fingerprint)
        with _cache_lock:
            for stale in [k for k in _cache if k[0] == source]:
                del _cache[stale]
            _cache[key] = plan
    return plan


def plan_cache_clear() -> None:
    with _cache_lock:
        _cache.clear()


@transaction.atomic
def schema_clone(*, source: str, target: str) -> ClonePlan:
    """Create schema `target` as a copy of `source` (structure, rows, sequence values).

    Runs in the caller's transaction (a savepoint if one is open): on any error nothing remains.
    """
    plan = plan_for(source=source)
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE SCHEMA {quote_ident(target)}")
        with _search_path(cursor, target):
            cursor.execute(plan.script())
    return plan
