"""Navigation is built from what each app declares (issue 9.1): per role, and a new app's entry
appears without any edit to saas/."""

from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory, override_settings
from django.urls import set_urlconf
from django_tenants.utils import schema_context

from apps.access.nav import nav_entries, nav_for
from apps.accounts.models import Role, RoleAssignment, User
from apps.accounts.principals import SupportPrincipal
from apps.budgeting.roles import BUDGET_READERS
from apps.planning.roles import PLAN_READERS
from apps.reference.usulan.roles import DECIDERS as USULAN_DECIDERS
from apps.reference.usulan.roles import PROPOSERS as USULAN_PROPOSERS
from apps.reference.usulan.roles import READERS as USULAN_READERS
from tenants.models import Tenant


def _urls(user: Any, tenant: Tenant | None) -> list[str]:
    request = RequestFactory().get("/", HTTP_HOST="localhost")
    request.user = user
    request.tenant = tenant  # type: ignore[attr-defined]
    set_urlconf("saas.urls_tenant" if tenant else "saas.urls_public")
    try:
        if tenant is None:
            return [url for _label, url, _current in nav_for(request)]
        with schema_context(tenant.schema_name):
            return [url for _label, url, _current in nav_for(request)]
    finally:
        set_urlconf(None)


def _region_user(tenant: Tenant, *roles: str) -> User:
    with schema_context(tenant.schema_name):
        user = User.objects.create_user(email=f"{'-'.join(roles) or 'x'}@medan.test", password="x")
        for role in roles:
            RoleAssignment.objects.create(
                user=user,
                role=role,
                opd_code="1.02" if role in ("operator_opd", "kepala_opd") else "",
            )
    return user


CONSOLE_CASES = {
    "central_support": ["/penyiapan/", "/operasi/", "/akun/dukungan/", "/akun/staf/", "/api/docs/"],
    "provincial_admin": ["/penyiapan/", "/operasi/", "/api/docs/"],
    "superuser": ["/api/docs/"],
    "none": ["/api/docs/"],
}


@pytest.mark.parametrize("role", list(CONSOLE_CASES))
def test_console_navigation_per_platform_role(db: None, role: str) -> None:
    cases: dict[str, dict[str, Any]] = {
        "central_support": {"platform_role": "central_support"},
        "provincial_admin": {"platform_role": "provincial_admin", "province_code": "72"},
        "superuser": {"is_superuser": True},
        "none": {},
    }
    user = User.objects.create_user(email="p@example.org", password="x", **cases[role])
    assert _urls(user, None) == CONSOLE_CASES[role]


@pytest.mark.parametrize("role", [r.value for r in Role])
def test_region_navigation_per_region_role(medan: Tenant, role: str) -> None:
    licensing = {  # apps/licensing/nav.py
        Role.PERIZINAN_FRONT: ["/perizinan/"],
        Role.PERIZINAN_BACK: ["/perizinan/"],
        Role.KEPALA_DPMPTSP: ["/perizinan/", "/perizinan/dasbor/"],
    }.get(Role(role), [])
    planning = (  # apps/planning/nav.py
        ["/perencanaan/", "/perencanaan/musrenbang/"]
        if role in PLAN_READERS or role == Role.INSPEKTORAT
        else []
    )
    usulan = (  # apps/reference/nav.py: standard-price requests
        ["/referensi/usulan/"]
        if role in (*USULAN_PROPOSERS, *USULAN_DECIDERS, *USULAN_READERS, Role.INSPEKTORAT)
        else []
    )
    portal_staff = {  # apps/portal/nav.py
        Role.ADMIN: ["/portal/terbitkan/"],
        Role.INSPEKTORAT: ["/portal/terbitkan/", "/portal/harga/"],
    }.get(Role(role), [])
    portal = ["/portal/", *portal_staff]
    budgeting = (  # apps/budgeting/nav.py
        ["/anggaran/kua/", "/anggaran/", "/anggaran/verifikasi/", "/anggaran/ringkasan/"]
        if role in BUDGET_READERS or role == Role.INSPEKTORAT
        else []
    )
    expected = (["/akun/pengguna/"] if role == Role.ADMIN else []) + [
        "/akun/token/",
        *planning,
        "/perencanaan/lacak/",
        *(["/perencanaan/rpjmd/"] if planning else []),
        "/referensi/",  # apps/reference/nav.py
        *usulan,
        *licensing,
        *budgeting,
        *portal,
        "/api/docs/",
    ]
    assert _urls(_region_user(medan, role), medan) == expected


def test_a_support_session_and_an_anonymous_visitor(medan: Tenant) -> None:
    assert _urls(AnonymousUser(), medan) == []
    support = SupportPrincipal.__new__(SupportPrincipal)
    assert _urls(support, medan) == [
        "/perencanaan/",
        "/perencanaan/musrenbang/",
        "/perencanaan/rpjmd/",
        "/referensi/",
        "/referensi/usulan/",
        "/anggaran/kua/",
        "/anggaran/",
        "/anggaran/verifikasi/",
        "/anggaran/ringkasan/",
        "/api/docs/",
    ]


def test_a_new_app_adds_its_entry_by_declaring_it(medan: Tenant) -> None:
    bappeda = _region_user(medan, Role.BAPPEDA)
    admin = _region_user(medan, Role.ADMIN)
    assert "/api/schema/" not in _urls(bappeda, medan)
    with override_settings(INSTALLED_APPS=[*settings.INSTALLED_APPS, "apps.access.tests.navapp"]):
        assert any(e.url_name == "api-schema" for e in nav_entries())
        assert "/api/schema/" in _urls(bappeda, medan)
        assert "/api/schema/" not in _urls(admin, medan)
    assert "/api/schema/" not in _urls(bappeda, medan)


@pytest.mark.parametrize(
    ("path", "current"),
    [
        ("/anggaran/kua/", "/anggaran/kua/"),
        ("/anggaran/kua/2027/pagu/", "/anggaran/kua/"),
        ("/anggaran/", "/anggaran/"),
        ("/anggaran/rka/5/", "/anggaran/"),
        ("/perencanaan/musrenbang/", "/perencanaan/musrenbang/"),
        ("/akun/token/", "/akun/token/"),
        ("/tidak-ada/", None),
    ],
)
def test_one_link_is_current_the_longest_that_holds_the_page(
    medan: Tenant, path: str, current: str | None
) -> None:
    user = _region_user(medan, Role.BAPPEDA, Role.TAPD)
    request = RequestFactory().get(path, HTTP_HOST="localhost")
    request.user = user
    request.tenant = medan  # type: ignore[attr-defined]
    set_urlconf("saas.urls_tenant")
    try:
        with schema_context(medan.schema_name):
            marked = [url for _label, url, on in nav_for(request) if on]
    finally:
        set_urlconf(None)
    assert marked == ([current] if current else [])
