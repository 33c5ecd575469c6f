"""Pages of the RPJMD and the Renstra under /perencanaan/rpjmd/: the RPJMD tree of a period
(visi > misi > tujuan > sasaran > indikator, with strategi, arah kebijakan and program
prioritas), the Renstra of each OPD with its cascade to the RPJMD sasaran, and one form page for
adding, changing or deleting any node (every write through apps.planning.services.rpjmd)."""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from apps.access.decorators import forbidden_response, role_required
from apps.access.roles import is_support_session, user_has_role
from apps.core.errors import ApplicationError, PermissionDeniedError
from apps.planning import roles
from apps.planning.models import Period
from apps.planning.selectors.rpjmd import (
    nodes_list,
    period_for,
    renstra_detail,
    renstra_list,
    rpjmd_tree,
    years,
)
from apps.planning.services.rpjmd import (
    RENSTRA_WRITERS,
    RPJMD_WRITERS,
    node_values,
    rpjmd_node_delete,
    rpjmd_node_save,
)
from apps.planning.services.rpjmd_kinds import KINDS, Kind
from apps.reference.models import PerangkatDaerah

MAX_PARAM = 64


def _param(request: HttpRequest, name: str) -> str:
    value = request.GET.get(name, "").strip()
    return value if len(value) <= MAX_PARAM and "\x00" not in value else ""


def _period(request: HttpRequest) -> Period | None:
    raw = _param(request, "periode")
    chosen = period_for(pk=int(raw)) if raw.isdigit() and len(raw) < 10 else None
    return chosen or period_for(tahun=timezone.localdate().year)


def _may_write(request: HttpRequest, writers: tuple[str, ...]) -> bool:
    return user_has_role(request.user, *writers) and not is_support_session(request.user)


@role_required(*RPJMD_WRITERS, read=roles.PLAN_READERS)
def rpjmd_page(request: HttpRequest) -> HttpResponse:
    period = _period(request)
    rpjmd, misi = rpjmd_tree(period) if period else (None, [])
    context = {
        "period": period,
        "periods": Period.objects.order_by("-tahun_awal"),
        "rpjmd": rpjmd,
        "misi": misi,
        "years": years(period) if period else [],
        "can_write": _may_write(request, RPJMD_WRITERS),
    }
    return render(request, "planning/rpjmd/tree.html", context)


@role_required(*RENSTRA_WRITERS, read=roles.PLAN_READERS)
def renstra_list_page(request: HttpRequest) -> HttpResponse:
    period = _period(request)
    context = {
        "period": period,
        "periods": Period.objects.order_by("-tahun_awal"),
        "renstra": renstra_list(period) if period else [],
        "can_write": _may_write(request, RENSTRA_WRITERS),
    }
    return render(request, "planning/rpjmd/renstra_list.html", context)


@role_required(*RENSTRA_WRITERS, read=roles.PLAN_READERS)
def renstra_page(request: HttpRequest, opd: str) -> HttpResponse:
    period = _period(request)
    if period is None:
        raise Http404
    try:
        renstra = renstra_detail(period=period, opd=opd[:MAX_PARAM])
    except ApplicationError as exc:
        raise Http404(exc.message) from None
    context = {
        "period": period,
        "renstra": renstra,
        "years": years(period),
        "can_write": _may_write(request, RENSTRA_WRITERS),
    }
    return render(request, "planning/rpjmd/renstra.html", context)


def _form_period(kind: Kind, node: Any, request: HttpRequest) -> Period | None:
    if node is not None:
        for path in kind.period_paths:
            found = node_path(node, path)
            if found is not None:
                return found  # type: ignore[no-any-return]
    return _period(request)


def node_path(node: Any, path: str) -> Any:
    for part in path.split("__"):
        node = getattr(node, part, None)
        if node is None:
            return None
    return node


def _posted(kind: Kind, request: HttpRequest, period: Period | None) -> dict[str, Any]:
    """The form's fields as the service takes them; per-year inputs gathered into one object."""
    data: dict[str, Any] = {}
    for field in kind.fields:
        if field.type in ("years", "rupiah_years"):
            prefix = field.name + "_"
            data[field.name] = {
                key[len(prefix) :]: str(value)
                for key, value in request.POST.items()
                if key.startswith(prefix) and str(value).strip()
            }
        else:
            data[field.name] = request.POST.get(field.name, "")
    return data


def _initial(kind: Kind, node: Any, request: HttpRequest) -> dict[str, Any]:
    if node is not None:
        return node_values(kind, node)
    return {f.name: _param(request, f.name) for f in kind.fields}


@role_required(*RENSTRA_WRITERS, observers=False)
def node_form(request: HttpRequest, kind: str, pk: int | None = None) -> HttpResponse:
    """Add (no pk) or change one node of `kind`; a refusal shows its message at its field."""
    spec = KINDS.get(kind)
    if spec is None:
        raise Http404
    node = nodes_list(spec).filter(pk=pk).first() if pk else None
    if pk and node is None:
        raise Http404
    period = _form_period(spec, node, request)
    values, error = _initial(spec, node, request), None
    if request.method == "POST":
        values = _posted(spec, request, period)
        try:
            rpjmd_node_save(actor=request.user, kind=kind, data=values, node=node)
        except PermissionDeniedError as exc:
            return forbidden_response(request, exc.message)
        except ApplicationError as exc:
            error = exc
        else:
            return redirect(_back(spec, values, node, period))
    context = {
        "kind": spec,
        "node": node,
        "values": values,
        "error": error,
        "period": period,
        "years": years(period) if period else [],
        "opd_choices": PerangkatDaerah.objects.filter(retired_at=None).order_by("kode"),
    }
    return render(request, "planning/rpjmd/form.html", context, status=400 if error else 200)


def _back(kind: Kind, values: dict[str, Any], node: Any, period: Period | None) -> str:
    query = f"?periode={period.pk}" if period else ""
    if not kind.renstra:
        return reverse("planning-rpjmd") + query
    opd = values.get("opd") if kind.name == "renstra" else None
    if node is not None and not opd:
        opd = node.opd_code
    if not opd:
        return reverse("planning-renstra-list") + query
    return reverse("planning-renstra", kwargs={"opd": opd}) + query


@role_required(*RENSTRA_WRITERS, observers=False)
def node_delete(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """POST only: remove a node nothing hangs on."""
    spec = KINDS.get(kind)
    node = nodes_list(spec).filter(pk=pk).first() if spec else None
    if spec is None or node is None:
        raise Http404
    if request.method != "POST":
        return redirect("planning-rpjmd-edit", kind=kind, pk=pk)
    period = _form_period(spec, node, request)
    target = _back(spec, {}, node, period)
    try:
        rpjmd_node_delete(actor=request.user, kind=kind, node=node)
    except PermissionDeniedError as exc:
        return forbidden_response(request, exc.message)
    except ApplicationError as exc:
        context = {"kind": spec, "node": node, "values": node_values(spec, node), "error": exc}
        context.update({"period": period, "years": years(period) if period else []})
        return render(request, "planning/rpjmd/form.html", context, status=400)
    return redirect(target)
