"""Account pages as a newcomer meets them (issue 8.16, account parts): an OPD comes from the
region's list, what was typed survives a refusal, placeholders are not eaten as HTML, the MFA
pages share one layout."""

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django_tenants.utils import schema_context

from apps.accounts import services
from apps.accounts.models import Role, RoleAssignment, User
from apps.accounts.tests.conftest import (
    PASSWORD,
    MakeUser,
    client_on,
    console_signed_in,
    host_of,
    signed_in,
)
from apps.core.errors import ApplicationError
from tenants.models import Tenant

DINKES = "1.02.0.00.0.00.01.0000"


@pytest.mark.parametrize("opd_code", ["DINKES", "1.02", "bukan-opd", " "])
def test_an_opd_bound_role_takes_only_an_opd_of_the_region_list(
    opd_code: str, make_user: MakeUser, medan: Tenant, medan_opds: dict[str, str]
) -> None:
    admin = make_user("admin@medan.go.id", schema=medan, roles=[Role.ADMIN])
    staff = make_user("staf@medan.go.id", schema=medan, roles=[Role.TAPD])
    with schema_context(medan.schema_name):
        for role in (Role.OPD_OPERATOR, Role.KEPALA_OPD):
            with pytest.raises(ApplicationError) as invited:
                services.invitation_create(
                    tenant=medan,
                    email="baru@medan.go.id",
                    role=role,
                    opd_code=opd_code,
                    invited_by=admin,
                )
            assert invited.value.field == "opd_code"
            with pytest.raises(ApplicationError) as changed:
                services.user_roles_set(
                    user=staff, roles=[role], opd_code=opd_code, changed_by=admin
                )
            assert changed.value.field == "opd_code"
        # the list's own code is taken
        services.user_roles_set(
            user=staff, roles=[Role.OPD_OPERATOR], opd_code=DINKES, changed_by=admin
        )
        assert RoleAssignment.objects.get(user=staff).opd_code == DINKES


def test_the_pages_offer_the_region_opd_list(
    make_user: MakeUser, medan: Tenant, medan_opds: dict[str, str]
) -> None:
    admin = make_user("admin@medan.go.id", schema=medan, roles=[Role.ADMIN])
    html = signed_in(host_of(medan), admin).get("/akun/pengguna/").content.decode()
    assert f'<option value="{DINKES}">DINKES' in html
    assert 'name="opd_code" type="text"' not in html and 'type="text" name="opd_code"' not in html


# Each form page: (place, path maker, typed values, the texts that must come back).
FormCase = tuple[str, Callable[[Any], str], dict[str, Any], list[str]]
FORM_CASES: dict[str, FormCase] = {
    "invite": (
        "region",
        lambda ctx: "/akun/pengguna/undang/",
        {"email": "ketik@medan.go.id", "role": Role.OPD_OPERATOR, "opd_code": ""},
        ["ketik@medan.go.id", f'value="{Role.OPD_OPERATOR}" selected'],
    ),
    "roles": (
        "region",
        lambda ctx: f"/akun/pengguna/{ctx['staff'].pk}/peran/",
        {"roles": [Role.OPD_OPERATOR, Role.DPRD], "opd_code": ""},
        ['value="operator_opd" checked', 'value="dprd" checked'],
    ),
    "token": (
        "region",
        lambda ctx: "/akun/token/",
        {"name": "x" * 101},
        ["x" * 101],
    ),
    "accept": (
        "region",
        lambda ctx: "/" + ctx["invitation"].accept_url.split("/", 3)[3],
        {"full_name": "Nama Yang Diketik", "password1": PASSWORD, "password2": "lain"},
        ["Nama Yang Diketik"],
    ),
    "staff": (
        "console",
        lambda ctx: "/akun/staf/",
        {"email": "prov-ketik@berbagi.id", "role": "provincial_admin", "province_code": ""},
        ["prov-ketik@berbagi.id"],
    ),
    "support": (
        "console",
        lambda ctx: "/akun/dukungan/",
        {"tenant": "", "reason": "pendek", "duration_minutes": "45"},
        ["pendek", 'value="45"'],
    ),
}


@pytest.mark.parametrize("case", sorted(FORM_CASES))
def test_a_refused_form_shows_what_was_typed(
    case: str, make_user: MakeUser, medan: Tenant, medan_opds: dict[str, str]
) -> None:
    place, path_of, typed, expected = FORM_CASES[case]
    admin = make_user("admin@medan.go.id", schema=medan, roles=[Role.ADMIN])
    staff = make_user("staf@medan.go.id", schema=medan, roles=[Role.TAPD])
    with schema_context(medan.schema_name):
        invitation = services.invitation_create(
            tenant=medan, email="diundang@medan.go.id", role=Role.TAPD, invited_by=admin
        )
    if place == "region":
        client = signed_in(host_of(medan), admin) if case != "accept" else client_on(host_of(medan))
    else:
        support = make_user("cs@berbagi.id", platform_role=User.PlatformRole.CENTRAL_SUPPORT)
        client = console_signed_in(support)
    response = client.post(path_of({"staff": staff, "invitation": invitation}), typed)
    assert response.status_code in (200, 400), response.status_code
    html = response.content.decode()
    missing = [text for text in expected if text not in html]
    assert missing == []


def test_the_token_page_shows_the_header_format(make_user: MakeUser, medan: Tenant) -> None:
    user = make_user("staf@medan.go.id", schema=medan, roles=[Role.TAPD])
    html = signed_in(host_of(medan), user).get("/akun/token/").content.decode()
    assert "Authorization: Token &lt;token&gt;" in html


def test_no_translated_literal_carries_markup_that_the_page_would_eat() -> None:
    """A `<placeholder>` inside a translated literal is not escaped (template literals are
    safe): it vanishes as an unknown tag. Markup stays outside translated strings."""
    root = Path(settings.BASE_DIR) / "templates"
    literal = re.compile(r'{%\s*(?:translate|trans)\s+"([^"]*)"')
    offenders = [
        f"{path.relative_to(root)}: {text}"
        for path in root.rglob("*.html")
        for text in literal.findall(path.read_text(encoding="utf-8"))
        if "<" in text or ">" in text
    ]
    assert offenders == []


MFA_PAGES = ["/akun/2fa/", "/akun/2fa/totp/activate/"]
MFA_PAGES_WITH_CODES = [
    "/akun/2fa/",
    "/akun/2fa/recovery-codes/",
    "/akun/2fa/recovery-codes/generate/",
]


def test_every_mfa_page_uses_the_product_layout_and_buttons(
    make_user: MakeUser, medan: Tenant
) -> None:
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    user = make_user("staf@medan.go.id", schema=medan, roles=[Role.TAPD])
    client = signed_in(host_of(medan), user)
    client.post("/akun/reauthenticate/", {"password": PASSWORD})
    problems = [p for path in MFA_PAGES for p in _layout_problems(client, path)]
    with schema_context(medan.schema_name):
        TOTP.activate(user, generate_totp_secret())
        RecoveryCodes.activate(user)
    problems += [p for path in MFA_PAGES_WITH_CODES for p in _layout_problems(client, path)]
    assert problems == []
    codes = client.get("/akun/2fa/recovery-codes/").content.decode()
    assert 'class="recovery-codes mono"' in codes
    assert codes.count("<li>") >= 10


def _layout_problems(client: Client, path: str) -> list[str]:
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    html = response.content.decode()
    main = html[html.index('id="konten"') : html.index("</main>")]
    problems = []
    if 'class="site-header' not in html or "css/berbagi.css" not in html:
        problems.append(f"{path}: outside the product layout")
    problems += [f"{path}: bare {tag}" for tag in re.findall(r"<button(?![^>]*class=)[^>]*>", main)]
    problems += [
        f"{path}: action link without the button style {link}"
        for link in re.findall(r'<a href="(/akun/2fa/[^"]+)"\s*>', main)
    ]
    if "<textarea" in main and "recovery" in path:
        problems.append(f"{path}: raw textarea of codes")
    return problems
