"""Reading the source schema's catalog: its fingerprint, the refusal of what the copy cannot
reproduce, and every row the statements are generated from.

All reads run with `search_path` set to the source (the caller's doing), so the definitions
PostgreSQL deparses (pg_get_functiondef, pg_get_constraintdef, pg_get_indexdef, ...) name the
source's own objects unqualified.
"""

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from provisioning.clone._common import quote_ident
from provisioning.errors import CloneError

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


@dataclass(frozen=True)
class Catalog:
    """What the statements of a copy are generated from, as read from the source's catalog."""

    source: str
    functions: list[str]
    sequences: list[tuple[Any, ...]]
    tables: list[tuple[Any, ...]]
    columns: dict[int, list[tuple[Any, ...]]]
    repoint: list[tuple[Any, ...]]
    tree_tables: set[str]
    constraints: list[tuple[Any, ...]]
    empty_tables: set[str]
    indexes: list[tuple[Any, ...]]
    triggers: list[tuple[Any, ...]]
    views: list[tuple[Any, ...]]


def catalog_fingerprint(cursor: Any, source: str) -> str:
    """A digest of the source's catalog state: it changes whenever the statements would."""
    cursor.execute(_FINGERPRINT_SQL, {"ns": quote_ident(source)})
    return str(cursor.fetchone()[0])


def _fetch(cursor: Any, sql: str, schema: str) -> list[tuple[Any, ...]]:
    cursor.execute(sql, {"ns": quote_ident(schema)})
    return list(cursor.fetchall())


def catalog_refuse_unsupported(cursor: Any, source: str) -> None:
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
        raise CloneError(
            _("Skema %(schema)s memuat objek yang tidak dapat disalin: %(kinds)s.")
            % {"schema": source, "kinds": kinds}
        )


# The catalog queries, each over the source schema (%(ns)s); catalog_read runs them in order.
# Functions first: defaults, checks and triggers may call them.
SQL_FUNCTIONS = """SELECT pg_get_functiondef(p.oid) FROM pg_proc p
            WHERE p.pronamespace = %(ns)s::regnamespace ORDER BY p.oid"""

# Sequences, with the column that owns them (deptype a: serial/OWNED BY, i: identity).
SQL_SEQUENCES = """
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
        """

SQL_TABLES = """SELECT c.oid, c.relname, c.relpersistence, c.reloptions,
                  obj_description(c.oid, 'pg_class')
             FROM pg_class c WHERE c.relnamespace = %(ns)s::regnamespace AND c.relkind = 'r'
            ORDER BY c.relname"""

SQL_COLUMNS = """
        SELECT a.attrelid, a.attname, a.attidentity, a.attgenerated
          FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
         WHERE c.relnamespace = %(ns)s::regnamespace AND c.relkind = 'r'
           AND a.attnum > 0 AND NOT a.attisdropped
         ORDER BY a.attrelid, a.attnum
        """

# Defaults and CHECKs are copied as expression trees by LIKE (re-parsing their deparsed text
# can yield a different tree, e.g. for IN lists). Those that point at an object of the source
# schema (a serial's sequence, a function) are re-pointed from their deparsed text instead.
SQL_REPOINT = """
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
        """

# Expression and partial indexes, too, can deparse to text that re-parses to another tree
# (allauth's `type IN (...)` predicate does): tables holding one take their indexes from
# LIKE ... INCLUDING INDEXES (trees copied), renamed to the source's names right after.
SQL_TREE_TABLES = """
    SELECT DISTINCT tc.relname FROM pg_index i JOIN pg_class tc ON tc.oid = i.indrelid
                WHERE tc.relnamespace = %(ns)s::regnamespace AND tc.relkind = 'r'
                  AND (i.indexprs IS NOT NULL OR i.indpred IS NOT NULL)"""

SQL_CONSTRAINTS = """
        SELECT k.conrelid, c.relname, k.conname, k.contype, pg_get_constraintdef(k.oid),
               obj_description(k.oid, 'pg_constraint')
          FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid
         WHERE k.connamespace = %(ns)s::regnamespace AND k.contype IN ('p', 'u', 'x', 'f')
           AND c.relkind = 'r'
         ORDER BY c.relname, k.conname
        """

# Indexes that back no constraint (keys come with their constraints).
SQL_INDEXES = """
        SELECT tc.relname, ic.relname, pg_get_indexdef(i.indexrelid)
          FROM pg_index i
          JOIN pg_class ic ON ic.oid = i.indexrelid
          JOIN pg_class tc ON tc.oid = i.indrelid
         WHERE tc.relnamespace = %(ns)s::regnamespace AND tc.relkind = 'r'
           AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid
                            AND k.conrelid = i.indrelid AND k.contype IN ('p', 'u', 'x'))
         ORDER BY ic.relname
        """

SQL_TRIGGERS = """SELECT c.relname, pg_get_triggerdef(t.oid) FROM pg_trigger t
             JOIN pg_class c ON c.oid = t.tgrelid
            WHERE c.relnamespace = %(ns)s::regnamespace AND NOT t.tgisinternal
            ORDER BY c.relname, t.tgname"""

SQL_VIEWS = """SELECT c.relname, pg_get_viewdef(c.oid) FROM pg_class c
            WHERE c.relnamespace = %(ns)s::regnamespace AND c.relkind = 'v' ORDER BY c.oid"""


def catalog_read(cursor: Any, source: str) -> Catalog:
    """Every catalog row the copy's statements are generated from (search_path at the source)."""
    tables = _fetch(cursor, SQL_TABLES, source)
    columns: dict[int, list[tuple[Any, ...]]] = {}
    for row in _fetch(cursor, SQL_COLUMNS, source):
        columns.setdefault(row[0], []).append(row[1:])
    return Catalog(
        source=source,
        functions=[definition for (definition,) in _fetch(cursor, SQL_FUNCTIONS, source)],
        sequences=_fetch(cursor, SQL_SEQUENCES, source),
        tables=tables,
        columns=columns,
        repoint=_fetch(cursor, SQL_REPOINT, source),
        tree_tables={row[0] for row in _fetch(cursor, SQL_TREE_TABLES, source)},
        constraints=_fetch(cursor, SQL_CONSTRAINTS, source),
        empty_tables=_empty_tables(cursor, source, [row[1] for row in tables]),
        indexes=_fetch(cursor, SQL_INDEXES, source),
        triggers=_fetch(cursor, SQL_TRIGGERS, source),
        views=_fetch(cursor, SQL_VIEWS, source),
    )


def _empty_tables(cursor: Any, source: str, tables: list[str]) -> set[str]:
    """The source's tables that hold no row (their copy skips the data step)."""
    empty: set[str] = set()
    for table in tables:
        cursor.execute(
            f"SELECT NOT EXISTS (SELECT 1 FROM {quote_ident(source)}.{quote_ident(table)})"
        )
        if cursor.fetchone()[0]:
            empty.add(table)
    return empty
