"""Pages of identity: the region admin's user management, accepting an invitation, API tokens,
support access (opened and listed on the console, entered on the region host) and the console's
invitations of platform staff."""

from typing import Any
from urllib.parse import urlencode

from allauth.account.utils import perform_login
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.access.decorators import forbidden_response, platform_role_required, role_required
from apps.access.roles import is_support_session, request_actor
from apps.accounts import selectors, services
from apps.accounts.forms import (
    ApiTokenForm,
    InvitationAcceptForm,
    InvitationForm,
    RolesForm,
    StaffInvitationForm,
    SupportGrantForm,
    opd_choices,
)
from apps.accounts.middleware import (
    SESSION_SCHEMA_KEY,
    SUPPORT_GRANT_KEY,
    support_account_pages_message,
)
from apps.accounts.models import Invitation, Role, SupportGrant, User
from apps.core.errors import ApplicationError
from tenants.db import schema_current
from tenants.http import region_of
from tenants.models import Tenant
from tenants.selectors import province_list, tenant_list_routable


def _form_error(form: Any, exc: ApplicationError) -> None:
    field = exc.field if exc.field in getattr(form, "fields", {}) else None
    form.add_error(field, exc.message)


@role_required(Role.ADMIN)
def users_manage(request: HttpRequest) -> HttpResponse:
    """List, invite, change role, deactivate; support grants of this region."""
    return _users_page(request)


def _users_page(
    request: HttpRequest,
    *,
    invite_form: InvitationForm | None = None,
    typed_roles_of: int | None = None,
    roles_error: ApplicationError | None = None,
    status: int = 200,
) -> HttpResponse:
    """The users page; after a refused invitation or role change it shows what was typed, and
    the refusal next to the field it names."""
    places = selectors.wilayah_places()
    place_names = dict(places)
    rows = []
    for person in selectors.user_list():
        assignments = list(person.role_assignments.all())
        roles = {a.role for a in assignments}
        opd_code = next((a.opd_code for a in assignments if a.opd_code), "")
        wilayah_code = next((a.wilayah_code for a in assignments if a.wilayah_code), "")
        error = None
        if typed_roles_of == person.pk:
            roles = set(request.POST.getlist("roles"))
            opd_code = request.POST.get("opd_code", "")
            wilayah_code = request.POST.get("wilayah_code", "")[:13]
            error = roles_error
        rows.append(
            {
                "person": person,
                "roles": roles,
                "opd_code": opd_code,
                "wilayah_code": wilayah_code,
                "wilayah_name": place_names.get(wilayah_code, ""),
                "error": error,
            }
        )
    invitations = [
        (invitation, place_names.get(invitation.wilayah_code, ""))
        for invitation in selectors.invitation_list_pending()
    ]
    return render(
        request,
        "accounts/users.html",
        {
            "rows": rows,
            "invitations": invitations,
            "grants": selectors.support_grant_list()[:20],
            "invite_form": invite_form or InvitationForm(),
            "role_choices": Role.choices,
            "opd_choices": opd_choices(),
            "places": places,
        },
        status=status,
    )


@require_POST
@role_required(Role.ADMIN)
def user_invite(request: HttpRequest) -> HttpResponse:
    form = InvitationForm(request.POST)
    if form.is_valid():
        try:
            invitation = services.invitation_create(
                tenant=region_of(request),
                invited_by=request_actor(request),
                base_url=request.build_absolute_uri("/"),
                **form.cleaned_data,
            )
        except ApplicationError as exc:
            _form_error(form, exc)
        else:
            messages.success(
                request, _("Undangan dikirim ke %(email)s.") % {"email": invitation.email}
            )
            return redirect("accounts-users")
    return _users_page(request, invite_form=form, status=400)


@require_POST
@role_required(Role.ADMIN)
def user_roles(request: HttpRequest, user_id: int) -> HttpResponse:
    user = get_object_or_404(User, pk=user_id)
    form = RolesForm(request.POST)
    try:
        if not form.is_valid():
            field, errors = next(iter(form.errors.items()))
            raise ApplicationError(str(errors[0]), field=field)
        services.user_roles_set(user=user, changed_by=request.user, **form.cleaned_data)
    except ApplicationError as exc:
        messages.error(request, f"{user.email}: {exc.message}")
        return _users_page(request, typed_roles_of=user.pk, roles_error=exc, status=400)
    messages.success(request, _("Peran %(email)s diperbarui.") % {"email": user.email})
    return redirect("accounts-users")


@require_POST
@role_required(Role.ADMIN)
def user_active(request: HttpRequest, user_id: int) -> HttpResponse:
    user = get_object_or_404(User, pk=user_id)
    try:
        if request.POST.get("active") == "1":
            services.user_reactivate(user=user, reactivated_by=request.user)
            messages.success(request, _("%(email)s diaktifkan kembali.") % {"email": user.email})
        else:
            services.user_deactivate(user=user, deactivated_by=request.user)
            messages.success(request, _("%(email)s dinonaktifkan.") % {"email": user.email})
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("accounts-users")


@require_POST
@role_required(Role.ADMIN)
def invitation_revoke(request: HttpRequest, invitation_id: int) -> HttpResponse:
    return _invitation_revoke_then(request, invitation_id, "accounts-users")


def _invitation_revoke_then(request: HttpRequest, invitation_id: int, page: str) -> HttpResponse:
    """Revoke an invitation of this schema, say how it went, and go back to `page`."""
    invitation = get_object_or_404(Invitation, pk=invitation_id)
    try:
        services.invitation_revoke(invitation=invitation, revoked_by=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("Undangan untuk %(email)s dibatalkan.") % {"email": invitation.email}
        )
    return redirect(page)


@require_POST
@role_required(Role.ADMIN)
def support_grant_end(request: HttpRequest, grant_id: str) -> HttpResponse:
    grant = get_object_or_404(SupportGrant, pk=grant_id)
    services.support_grant_end(grant=grant, ended_by=request.user)
    messages.success(
        request, _("Akses dukungan %(email)s diakhiri.") % {"email": grant.support_email}
    )
    return redirect("accounts-users")


def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """Set a name and password, then the invited account is active and signed in."""
    try:
        invitation = services.invitation_get_usable(token=token)
    except ApplicationError as exc:
        return render(
            request,
            "accounts/invitation_refused.html",
            {"message": exc.message},
            status=exc.status_code,
        )
    form = InvitationAcceptForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.invitation_accept(
                token=token,
                password=form.cleaned_data["password1"],
                full_name=form.cleaned_data["full_name"],
            )
        except ApplicationError as exc:
            if exc.status_code != 400:
                return render(
                    request,
                    "accounts/invitation_refused.html",
                    {"message": exc.message},
                    status=exc.status_code,
                )
            _form_error(form, exc)
        else:
            # Through allauth's login stages, so MFA is asked of anyone who has it set up.
            messages.success(request, _("Selamat datang! Akun Anda sudah aktif."))
            response: HttpResponse = perform_login(request, user, redirect_url="/")
            return response
    return render(
        request, "accounts/invitation_accept.html", {"form": form, "invitation": invitation}
    )


@login_required
def api_tokens(request: HttpRequest) -> HttpResponse:
    """The owner's API tokens: create (key shown once) and revoke."""
    user = request.user
    if is_support_session(user):
        return forbidden_response(request, support_account_pages_message())
    if not isinstance(user, User):
        return forbidden_response(request, _("Token API hanya untuk pengguna terdaftar di sini."))
    new_key = ""
    form = ApiTokenForm(request.POST or None)
    if request.method == "POST":
        revoke_id = request.POST.get("revoke")
        if revoke_id:
            token = get_object_or_404(selectors.api_token_list(user=user), pk=revoke_id)
            services.api_token_revoke(token=token, revoked_by=user)
            messages.success(request, _("Token %(name)s dicabut.") % {"name": token.name})
            return redirect("accounts-tokens")
        if form.is_valid():
            _created, new_key = services.api_token_create(user=user, name=form.cleaned_data["name"])
            form = ApiTokenForm()
    return render(
        request,
        "accounts/tokens.html",
        {"tokens": selectors.api_token_list(user=user), "form": form, "new_key": new_key},
    )


@platform_role_required(User.PlatformRole.CENTRAL_SUPPORT)
def support_console(request: HttpRequest) -> HttpResponse:
    """Console: open a read-only grant on a region, then go there through a signed handoff;
    below, the grants this person opened, each active one with a button to end it early."""
    tenants = {str(t.pk): t for t in tenant_list_routable().filter(status=Tenant.Status.ACTIVE)}
    choices = [(pk, f"{t.name} ({t.slug})") for pk, t in tenants.items()]
    form = SupportGrantForm(request.POST or None, tenant_choices=choices)
    if request.method == "POST" and form.is_valid():
        tenant = tenants[form.cleaned_data["tenant"]]
        try:
            grant = services.support_grant_open(
                tenant=tenant,
                support_user=request.user,
                reason=form.cleaned_data["reason"],
                duration_minutes=form.cleaned_data["duration_minutes"],
            )
            token = services.support_handoff_issue(
                tenant=tenant, grant_id=str(grant.pk), support_user=request.user
            )
        except ApplicationError as exc:
            _form_error(form, exc)
        else:
            return HttpResponseRedirect(_handoff_url(request, tenant, token))
    return render(
        request,
        "accounts/support_console.html",
        {"form": form, "records": _grant_records(request.user)},
    )


def _grant_records(user: Any) -> list[tuple[Any, str]]:
    now = timezone.now()
    return [(r, r.status_at(now)) for r in selectors.support_grant_record_list(support_user=user)]


@require_POST
@platform_role_required(User.PlatformRole.CENTRAL_SUPPORT)
def support_grant_end_own(request: HttpRequest, grant_id: str) -> HttpResponse:
    """Console: the support person ends their own active grant before it expires."""
    try:
        record = services.support_grant_end_own(grant_id=str(grant_id), support_user=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("Hibah akses dukungan ke %(region)s diakhiri.") % {"region": record.region_name},
        )
    return redirect("support-console")


@platform_role_required(User.PlatformRole.CENTRAL_SUPPORT)
def staff_invitations(request: HttpRequest) -> HttpResponse:
    """Console: central support invites a provincial admin or another central support person,
    and sees (and revokes) the console's pending invitations."""
    provinces = {p.kode: p.nama for p in province_list()}
    form = StaffInvitationForm(
        request.POST or None,
        province_choices=[(kode, f"{kode} {nama}") for kode, nama in provinces.items()],
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            invitation = services.staff_invitation_create(
                email=data["email"],
                role=data["role"],
                province_code=(
                    data["province_code"]
                    if data["role"] == User.PlatformRole.PROVINCIAL_ADMIN
                    else ""
                ),
                invited_by=request_actor(request),
                base_url=request.build_absolute_uri("/"),
            )
        except ApplicationError as exc:
            _form_error(form, exc)
        else:
            messages.success(
                request, _("Undangan dikirim ke %(email)s.") % {"email": invitation.email}
            )
            return redirect("staff-invitations")
    pending = [
        (invitation, provinces.get(invitation.province_code, ""))
        for invitation in selectors.invitation_list_pending()
    ]
    return render(
        request,
        "accounts/staff_invitations.html",
        {"form": form, "pending": pending, "now": timezone.now()},
    )


@require_POST
@platform_role_required(User.PlatformRole.CENTRAL_SUPPORT)
def staff_invitation_revoke(request: HttpRequest, invitation_id: int) -> HttpResponse:
    return _invitation_revoke_then(request, invitation_id, "staff-invitations")


def _handoff_url(request: HttpRequest, tenant: Tenant, token: str) -> str:
    domain = tenant.get_primary_domain()
    host = domain.domain if domain is not None else f"{tenant.slug}.{settings.BASE_DOMAIN}"
    port = request.get_port()
    default_port = "443" if request.is_secure() else "80"
    suffix = f":{port}" if port and port != default_port else ""
    return f"{request.scheme}://{host}{suffix}/akun/dukungan/masuk/?{urlencode({'t': token})}"


def support_handoff(request: HttpRequest) -> HttpResponse:
    """Region: turn a valid console handoff into a fresh support session of this host."""
    try:
        grant = services.support_handoff_consume(token=request.GET.get("t", ""))
    except ApplicationError as exc:
        return forbidden_response(request, exc.message)
    request.session.flush()
    request.session[SUPPORT_GRANT_KEY] = str(grant.pk)
    request.session[SESSION_SCHEMA_KEY] = schema_current()
    request.session.cycle_key()
    return redirect("/")


@require_POST
def support_exit(request: HttpRequest) -> HttpResponse:
    request.session.flush()
    return redirect("/")
