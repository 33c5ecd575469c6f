"""Role boundaries through HTTP, allowed and refused."""

from typing import Any

import pytest

from apps.accounts.models import Role, RoleAssignment
from apps.accounts.tests.conftest import MakeUser, signed_in
from tenants.models import Tenant


@pytest.fixture
def probe(settings: Any) -> None:
    settings.ROOT_URLCONF = "apps.accounts.tests.urls_probe"


def test_the_region_admin_lists_users(make_user: MakeUser, medan: Tenant, medan_host: str) -> None:
    admin = make_user("admin@medan.go.id", schema=medan, roles=[Role.ADMIN])
    client = signed_in(medan_host, admin)
    response = client.get("/api/akun/pengguna/")
    assert response.status_code == 200
    assert "admin@medan.go.id" in [u["email"] for u in response.json()]
    assert client.get("/akun/pengguna/").status_code == 200


@pytest.mark.parametrize(
    "role", [r for r in Role.values if r not in ("admin_daerah", "inspektorat")]
)
def test_other_roles_are_refused_the_user_admin_naming_the_missing_role(
    make_user: MakeUser, medan: Tenant, medan_host: str, role: str
) -> None:
    user = make_user(
        "staf@medan.go.id", schema=medan, roles=[role], opd_code="1.02.0.00.0.00.01.0000"
    )
    client = signed_in(medan_host, user)
    api = client.get("/api/akun/pengguna/")
    page = client.get("/akun/pengguna/")
    assert api.status_code == 403
    assert "Admin daerah" in api.json()["message"]
    assert page.status_code == 403
    assert "Akses ditolak" in page.content.decode()
    assert "Admin daerah" in page.content.decode()


def test_inspektorat_reads_but_never_writes(
    make_user: MakeUser, medan: Tenant, medan_host: str
) -> None:
    auditor = make_user("irban@medan.go.id", schema=medan, roles=[Role.INSPEKTORAT])
    client = signed_in(medan_host, auditor)
    assert client.get("/api/akun/pengguna/").status_code == 200
    invite = client.post(
        "/api/akun/undangan/",
        {"email": "x@medan.go.id", "role": "bappeda"},
        content_type="application/json",
    )
    assert invite.status_code == 403
    assert "Admin daerah" in invite.json()["message"]


def test_anonymous_is_asked_to_sign_in(medan_host: str) -> None:
    from apps.accounts.tests.conftest import client_on

    client = client_on(medan_host)
    assert client.get("/api/akun/pengguna/").status_code in (401, 403)
    page = client.get("/akun/pengguna/")
    assert page.status_code == 302
    assert page["Location"].startswith("/akun/login/")


def test_the_admin_changes_roles_and_deactivates_with_audit(
    make_user: MakeUser, medan: Tenant, medan_host: str, medan_opds: dict[str, str]
) -> None:
    from django_tenants.utils import schema_context

    from apps.audit.models import AuditEntry

    admin = make_user("admin@medan.go.id", schema=medan, roles=[Role.ADMIN])
    staff = make_user("staf@medan.go.id", schema=medan, roles=[Role.BAPPEDA])
    client = signed_in(medan_host, admin)
    changed = client.put(
        f"/api/akun/pengguna/{staff.pk}/peran/",
        {"roles": ["operator_opd"], "opd_code": "1.01.0.00.0.00.01.0000"},
        content_type="application/json",
    )
    assert changed.status_code == 200
    assert changed.json()["roles"] == [
        {
            "role": "operator_opd",
            "opd_code": "1.01.0.00.0.00.01.0000",
            "wilayah_code": "",
            "wilayah_nama": "",
        }
    ]
    page_change = client.post(
        f"/akun/pengguna/{staff.pk}/peran/", {"roles": ["tapd"], "opd_code": ""}
    )
    assert page_change.status_code == 302
    deactivated = client.post(f"/akun/pengguna/{staff.pk}/status/")
    assert deactivated.status_code == 302
    with schema_context(medan.schema_name):
        assert list(
            RoleAssignment.objects.filter(user_id=staff.pk).values_list("role", flat=True)
        ) == ["tapd"]
        actions = list(AuditEntry.objects.order_by("seq").values_list("action", "actor_label"))
    assert ("accounts.roles_changed", admin.email) in actions
    assert ("accounts.user_deactivated", admin.email) in actions


def test_the_last_admin_cannot_remove_themselves(
    make_user: MakeUser, medan: Tenant, medan_host: str
) -> None:
    admin = make_user("admin@medan.go.id", schema=medan, roles=[Role.ADMIN])
    client = signed_in(medan_host, admin)
    response = client.put(
        f"/api/akun/pengguna/{admin.pk}/peran/",
        {"roles": ["bappeda"]},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert "sendiri" in response.json()["message"]


def test_a_deactivated_user_loses_their_session(
    make_user: MakeUser, medan: Tenant, medan_host: str
) -> None:
    admin = make_user("admin@medan.go.id", schema=medan, roles=[Role.ADMIN])
    staff = make_user("staf@medan.go.id", schema=medan, roles=[Role.BAPPEDA])
    staff_client = signed_in(medan_host, staff)
    assert staff_client.get("/api/akun/saya/").status_code == 200
    signed_in(medan_host, admin).post(f"/api/akun/pengguna/{staff.pk}/nonaktifkan/")
    assert staff_client.get("/api/akun/saya/").status_code == 401


def test_opd_operator_touches_only_their_opd(
    probe: None, make_user: MakeUser, medan: Tenant, medan_host: str
) -> None:
    operator = make_user(
        "opd@medan.go.id", schema=medan, roles=[Role.OPD_OPERATOR], opd_code="1.01"
    )
    client = signed_in(medan_host, operator)
    assert client.get("/probe/1.01/").status_code == 200
    assert client.post("/probe/1.01/").status_code == 200
    other = client.post("/probe/2.02/")
    assert other.status_code == 403
    assert "bukan OPD Anda" in other.json()["message"]


def test_bappeda_reaches_every_opd_and_dprd_only_reads(
    probe: None, make_user: MakeUser, medan: Tenant, medan_host: str
) -> None:
    bappeda = signed_in(medan_host, make_user("b@medan.go.id", schema=medan, roles=[Role.BAPPEDA]))
    assert bappeda.post("/probe/2.02/").status_code == 200
    dprd = signed_in(medan_host, make_user("d@medan.go.id", schema=medan, roles=[Role.DPRD]))
    assert dprd.get("/probe/2.02/").status_code == 200
    refused = dprd.post("/probe/2.02/")
    assert refused.status_code == 403
    assert "Bappeda atau Operator OPD" in refused.json()["message"]
    tapd = signed_in(medan_host, make_user("t@medan.go.id", schema=medan, roles=[Role.TAPD]))
    assert tapd.get("/probe/2.02/").status_code == 403
    page = tapd.get("/probe-page/")
    assert page.status_code == 403
    assert "Bappeda" in page.content.decode()
    assert bappeda.get("/probe-page/").status_code == 200
