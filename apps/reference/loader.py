"""Streaming a kind's files into the current schema in batches, with the cross-row checks.

Rows are parsed as they are read and written `BATCH` at a time, so memory stays flat whatever the
file's size: only the codes seen so far (for duplicates and retirement) are kept for the whole
file. The caller's transaction makes the load all or nothing: any error (file, line, reason)
raised after some batches were written rolls them back.
"""

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from apps.reference import bulk
from apps.reference.errors import ReferenceImportError
from apps.reference.importers.kinds import KINDS, RowError
from apps.reference.importers.readers import read_rows

BATCH = 2000


ParsedRows = Iterator[tuple[int, list[dict[str, Any]]]]


def _parsed(path: Path, label: str, kind: str) -> ParsedRows:
    """Each data line of `path` with the rows it parses into (one, or several when exploded)."""
    spec = KINDS[kind]
    for line, values in read_rows(path, aliases=spec.aliases, file=label, multiline=spec.multiline):
        try:
            rows = spec.explode(values) if spec.explode else [values]
            yield line, [spec.parse(row) for row in rows]
        except RowError as exc:
            raise ReferenceImportError(file=label, line=line, reason=str(exc)) from exc


# Parsed release files by (kind, content digest): a rollout applies the same few release
# files to every region, and parsing them (strict reader, every cell checked) cost more than
# writing the diff. Only shipped release files (bounded, a few thousand rows) come here; a
# region's own price list streams through _parsed and is never kept.
_RELEASE_ROWS: dict[tuple[str, str], list[tuple[int, list[dict[str, Any]]]]] = {}
_RELEASE_ROWS_MAX = 16


def release_rows(path: Path, label: str, kind: str) -> ParsedRows:
    """`_parsed`, read once per process per file content; each caller gets its own dicts."""
    key = (kind, hashlib.sha256(path.read_bytes()).hexdigest())
    rows = _RELEASE_ROWS.get(key)
    if rows is None:
        rows = list(_parsed(path, label, kind))
        if len(_RELEASE_ROWS) >= _RELEASE_ROWS_MAX:
            _RELEASE_ROWS.clear()
        _RELEASE_ROWS[key] = rows
    for line, parsed in rows:
        yield line, [dict(item) for item in parsed]


@dataclass(frozen=True)
class Skipped:
    file: str
    line: int
    kode: str
    reason: str

    def __str__(self) -> str:
        return _("%(file)s, baris %(line)s: %(kode)s dilewati, %(reason)s") % {
            "file": self.file,
            "line": self.line,
            "kode": self.kode,
            "reason": self.reason,
        }


@dataclass
class KindLoader:
    """Loads every file of one kind; `finish` links late parents and retires (when complete)."""

    kind: str
    complete: bool
    skip_unknown_accounts: bool = False
    # The price list the rows of kind "harga" belong to.
    daftar_id: int | None = None
    changes: bulk.Changes = field(default_factory=bulk.Changes)
    skipped: list[Skipped] = field(default_factory=list)
    _seen: dict[str, tuple[str, int]] = field(default_factory=dict)
    _pending: list[tuple[str, int, str, str]] = field(default_factory=list)
    _batch: list[tuple[str, int, dict[str, Any]]] = field(default_factory=list)
    _accounts: dict[str, bool] = field(default_factory=dict)
    _names: dict[str, str] = field(default_factory=dict)

    def feed(
        self, path: Path, label: str, *, layout: str | None = None, cached: bool = False
    ) -> None:
        """Read one file; `layout` names another kind reading the same table (a SIPD export).
        `cached` (a shipped release file) parses it once per process (release_rows)."""
        spec = KINDS[layout or self.kind]
        assert spec.target == self.kind, f"{spec.name} does not load {self.kind}"
        count = 0
        source = (
            release_rows(path, label, layout or self.kind)
            if cached
            else _parsed(path, label, layout or self.kind)
        )
        for line, parsed in source:
            for index, item in enumerate(parsed):
                # An exploded row repeats its ancestors: the first mention of a code counts.
                if index < len(parsed) - 1 and self._repeated(item, label, line):
                    continue
                if self.daftar_id is not None:
                    item["daftar_id"] = self.daftar_id
                self._remember(item, label, line)
                self._batch.append((label, line, item))
            count += 1
            if len(self._batch) >= BATCH:
                self._flush()
        if not count:
            raise ReferenceImportError(file=label, line=None, reason=_("tidak ada baris data"))

    def _repeated(self, item: dict[str, Any], label: str, line: int) -> bool:
        if item["kode"] not in self._seen:
            return False
        if item["nama"] != self._names.get(item["kode"], item["nama"]):
            raise ReferenceImportError(
                file=label,
                line=line,
                reason=_("kode %(kode)s bernama lain di baris sebelumnya") % {"kode": item["kode"]},
            )
        return True

    def _remember(self, values: dict[str, Any], label: str, line: int) -> None:
        kode = values["kode"]
        first = self._seen.get(kode)
        if first is not None:
            raise ReferenceImportError(
                file=label,
                line=line,
                reason=_("kode %(kode)s ganda (sudah ada di %(file)s baris %(line)s)")
                % {"kode": kode, "file": first[0], "line": first[1]},
            )
        self._seen[kode] = (label, line)
        if self.kind == "nomenklatur" and values["tingkat"] != "sub_kegiatan":
            self._names[kode] = values["nama"]
        induk = values.get("induk", "")
        if induk and induk not in self._seen:
            self._pending.append((label, line, kode, induk))

    def _flush(self) -> None:
        if not self._batch:
            return
        if self.kind == "harga":
            self._check_accounts()
        values = [row for _, _, row in self._batch]
        self.changes += bulk.upsert(self.kind, values)
        if self.kind == "harga":
            bulk.harga_links_replace(values)
        self._batch = []

    def _check_accounts(self) -> None:
        """Prices need accounts that are sub rincian objek of the chart: a missing or unknown one
        stops the load, or (when the importer asked for it) skips that row and reports its line."""
        wanted = {a for _, _, row in self._batch for a in row["rekening"]} - self._accounts.keys()
        if wanted:
            found = bulk.codes_of_level("rekening", wanted, "sub_rincian_objek")
            self._accounts.update({a: a in found for a in wanted})
        kept = []
        for label, line, row in self._batch:
            absent = [a for a in row["rekening"] if not self._accounts[a]]
            if row["rekening"] and not absent:
                kept.append((label, line, row))
                continue
            reason = (
                _("rekening %(rekening)s tidak ada di bagan akun (sub rincian objek)")
                % {"rekening": absent[0]}
                if absent
                else _("kolom rekening kosong: setiap harga harus punya rekening belanja")
            )
            if not self.skip_unknown_accounts:
                raise ReferenceImportError(file=label, line=line, reason=reason)
            self.skipped.append(Skipped(label, line, row["kode"], reason))
            del self._seen[row["kode"]]
        self._batch = kept

    def finish(self) -> bulk.Changes:
        self._flush()
        self._check_parents()
        if self.complete:
            self.changes.retired = bulk.retire_missing(self.kind, self._seen.keys())
        self.changes.skipped = len(self.skipped)
        return self.changes

    def _check_parents(self) -> None:
        """A partial import must hang off the tree; a whole release is taken as published for the
        nomenclature (the 2020 list has 22 sub kegiatan whose kegiatan it lacks)."""
        if not self._pending or not bulk.TABLES[self.kind].has_parent:
            return
        late = [p for p in self._pending if p[3] in self._seen]
        if late:  # parents that came later in the file than their children
            bulk.parents_link(self.kind, [p[2] for p in late], [p[3] for p in late])
        if self.complete and self.kind == "nomenklatur":
            return
        wanted = {p[3] for p in self._pending} - self._seen.keys()
        if wanted and not self.complete:
            wanted -= bulk.existing_codes(self.kind, wanted)
        for label, line, kode, induk in self._pending:
            if induk in wanted:
                raise ReferenceImportError(
                    file=label,
                    line=line,
                    reason=_("induk %(induk)s dari kode %(kode)s tidak ada")
                    % {"induk": induk, "kode": kode},
                )
