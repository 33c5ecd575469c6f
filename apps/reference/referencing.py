"""Registry of "referencing fields": every foreign key of a region's data that points to a
reference row which a release may retire. The retired-references report walks it, so an app that
stores plan entries or budget lines registers its fields (in its AppConfig.ready()) and its rows
appear in the report with the suggested successor, without changing this module.
"""

from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db.models import Model
from django.utils.translation import gettext_lazy as _

from apps.reference.models import Nomenklatur

REPORT_LIMIT = 1000


@dataclass(frozen=True)
class ReferencingField:
    model: str  # "app_label.ModelName"
    field: str  # a ForeignKey to a reference model (one with retired_at)
    label: Any  # what the source rows are, for the report


@dataclass(frozen=True)
class RetiredReference:
    source: Any
    row: str
    kode: str
    nama: str
    successor: Nomenklatur | None


REGISTRY: list[ReferencingField] = [
    ReferencingField("reference.Nomenklatur", "induk", _("Nomenklatur (induk)")),
    ReferencingField("reference.Rekening", "induk", _("Kode rekening (induk)")),
    ReferencingField("reference.StandarHargaRekening", "rekening", _("Rekening standar harga")),
]


def referencing_field_register(*, model: str, field: str, label: Any) -> ReferencingField:
    """Register a foreign key to reference data (idempotent); checked against the model."""
    target = apps.get_model(model)._meta.get_field(field).related_model
    if target is None or not hasattr(target, "retired_at"):
        raise ValueError(f"{model}.{field} does not point to a reference model")
    entry = ReferencingField(model, field, label)
    if entry not in REGISTRY:
        REGISTRY.append(entry)
    return entry


def _live_rows(entry: ReferencingField, limit: int) -> list[Model]:
    """Rows of the source model (themselves current) whose referenced item is retired."""
    model = apps.get_model(entry.model)
    rows = model._default_manager.filter(**{f"{entry.field}__retired_at__isnull": False})
    if hasattr(model, "retired_at"):
        rows = rows.filter(retired_at__isnull=True)
    return list(rows.select_related(entry.field).order_by("pk")[:limit])


def retired_references(*, limit: int = REPORT_LIMIT) -> list[RetiredReference]:
    """What points to retired reference items in this region, each with the suggested successor
    (nomenclature: from the previous-code mapping); at most `limit` rows per field."""
    from apps.reference.selectors import nomenklatur_successors

    found: list[tuple[ReferencingField, Model, Model]] = []
    for entry in REGISTRY:
        for row in _live_rows(entry, limit):
            found.append((entry, row, getattr(row, entry.field)))
    retired_codes = [t.kode for _, _, t in found if isinstance(t, Nomenklatur)]
    successors = nomenklatur_successors(kodes=retired_codes) if retired_codes else {}
    return [
        RetiredReference(
            source=entry.label,
            row=str(row),
            kode=target.kode,  # type: ignore[attr-defined]
            nama=target.nama,  # type: ignore[attr-defined]
            successor=successors.get(target.kode) if isinstance(target, Nomenklatur) else None,
        )
        for entry, row, target in found
    ]
