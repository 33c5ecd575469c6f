"""Operator kecamatan and operator desa are bound to a place of THIS region: the users page, the
invitation form and the API ask for its code, refuse any other naming the field, and show the
place's name next to the assignment."""

from collections.abc import Iterator

import pytest
from django_tenants.utils import schema_context

from apps.accounts import services
from apps.accounts.models import Invitation, Role, RoleAssignment, User
from apps.accounts.tests.conftest import MakeUser, host_of, signed_in
from apps.core.errors import ApplicationError
from apps.wilayah.models import Desa, Kecamatan
from apps.wilayah.services import wilayah_fill
from tenants.models import Tenant


@pytest.fixture
def places(medan: Tenant, buol: Tenant) -> Iterator[dict[str, str]]:
    """A kecamatan and a desa of Medan, and a desa of Buol (another region)."""
    for tenant in (medan, buol):
        with schema_context(tenant.schema_name):
            if not Kecamatan.objects.exists():
                wilayah_fill(kode_kabkota=str(tenant.region_id))
    with schema_context(medan.schema_name):
        desa = Desa.objects.select_related("kecamatan").order_by("kode").first()
        assert desa is not None
        found = {
            "kecamatan": desa.kecamatan.kode,
            "kecamatan_nama": desa.kecamatan.nama,
            "desa": desa.kode,
            "desa_nama": desa.nama,
        }
    with schema_context(buol.schema_name):
        found["buol_desa"] = str(Desa.objects.order_by("kode").values_list("kode", flat=True)[0])
    yield found


BAD_CODES = {
    "empty": "",
    "unknown": "99.99.99",
    "another region": "buol_desa",
}


def _code(places: dict[str, str], case: str) -> str:
    return places.get(BAD_CODES[case], BAD_CODES[case])


@pytest.mark.parametrize("case", sorted(BAD_CODES))
@pytest.mark.parametrize("role", [Role.OPERATOR_KECAMATAN, Role.OPERATOR_DESA])
def test_a_code_outside_this_region_is_refused_naming_the_field(
    make_user: MakeUser, medan: Tenant, places: dict[str, str], role: str, case: str
) -> None:
    admin = make_user("admin@medan.go.id", schema=medan, roles=[Role.ADMIN])
    staff = make_user("staf@medan.go.id", schema=medan, roles=[Role.TAPD])
    code = _code(places, case)
    with schema_context(medan.schema_name):
        with pytest.raises(ApplicationError) as invited:
            services.invitation_create(
                tenant=medan,
                email="baru@medan.go.id",
                role=role,
                wilayah_code=code,
                invited_by=admin,
            )
        with pytest.raises(ApplicationError) as changed:
            services.user_roles_set(
                user=staff, roles=[role], opd_code="", wilayah_code=code, changed_by=admin
            )
        assert invited.value.field == changed.value.field == "wilayah_code"
        assert "wilayah" in changed.value.message
        assert not Invitation.objects.filter(email="baru@medan.go.id").exists()
        assert list(RoleAssignment.objects.filter(user=staff).values_list("role", flat=True)) == [
            Role.TAPD
        ]


def test_the_wrong_kind_of_place_is_refused(
    make_user: MakeUser, medan: Tenant, places: dict[str, str]
) -> None:
    admin = make_user("admin@medan.go.id", schema=medan, roles=[Role.ADMIN])
    staff = make_user("staf@medan.go.id", schema=medan)
    with schema_context(medan.schema_name):
        for role, code in (
            (Role.OPERATOR_KECAMATAN, places["desa"]),
            (Role.OPERATOR_DESA, places["kecamatan"]),
        ):
            with pytest.raises(ApplicationError, match="bukan") as refused:
                services.user_roles_set(
                    user=staff, roles=[role], opd_code="", wilayah_code=code, changed_by=admin
                )
            assert refused.value.field == "wilayah_code"
        with pytest.raises(ApplicationError) as both:
            services.user_roles_set(
                user=staff,
                roles=[Role.OPERATOR_KECAMATAN, Role.OPERATOR_DESA],
                opd_code="",
                wilayah_code=places["desa"],
                changed_by=admin,
            )
        assert both.value.field == "wilayah_code"


def test_the_users_page_assigns_an_operator_desa_and_shows_the_place(
    make_user: MakeUser, medan: Tenant, places: dict[str, str]
) -> None:
    admin = make_user("admin@medan.go.id", schema=medan, roles=[Role.ADMIN])
    staff = make_user("staf@medan.go.id", schema=medan, roles=[Role.TAPD])
    client = signed_in(host_of(medan), admin)
    done = client.post(
        f"/akun/pengguna/{staff.pk}/peran/",
        {"roles": [Role.OPERATOR_DESA], "wilayah_code": places["desa"], "opd_code": ""},
    )
    assert done.status_code == 302
    with schema_context(medan.schema_name):
        row = RoleAssignment.objects.get(user=staff)
    assert (row.role, row.wilayah_code) == (Role.OPERATOR_DESA, places["desa"])
    page = client.get("/akun/pengguna/").content.decode()
    assert places["desa_nama"] in page and f'value="{places["desa"]}"' in page
    assert places["kecamatan_nama"] in page  # in the datalist of this region's places


def test_the_users_page_shows_a_refused_code_next_to_its_field_and_keeps_it(
    make_user: MakeUser, medan: Tenant, places: dict[str, str]
) -> None:
    admin = make_user("admin@medan.go.id", schema=medan, roles=[Role.ADMIN])
    staff = make_user("staf@medan.go.id", schema=medan, roles=[Role.TAPD])
    client = signed_in(host_of(medan), admin)
    refused = client.post(
        f"/akun/pengguna/{staff.pk}/peran/",
        {"roles": [Role.OPERATOR_KECAMATAN], "wilayah_code": places["buol_desa"]},
    )
    assert refused.status_code == 400
    html = refused.content.decode()
    field_at = html.index(f'name="wilayah_code" value="{places["buol_desa"]}"')
    error_at = html.index("bukan kecamatan di daerah ini", field_at)
    assert error_at - field_at < 600  # the message sits right after the field it names
    with schema_context(medan.schema_name):
        assert RoleAssignment.objects.get(user=staff).role == Role.TAPD


def test_an_invited_operator_kecamatan_joins_bound_to_the_place(
    make_user: MakeUser, medan: Tenant, places: dict[str, str]
) -> None:
    admin = make_user("admin@medan.go.id", schema=medan, roles=[Role.ADMIN])
    client = signed_in(host_of(medan), admin)
    refused = client.post(
        "/akun/pengguna/undang/",
        {"email": "camat@medan.go.id", "role": Role.OPERATOR_KECAMATAN, "wilayah_code": "1"},
    )
    assert refused.status_code == 400
    assert "bukan kecamatan di daerah ini" in refused.content.decode()
    sent = client.post(
        "/akun/pengguna/undang/",
        {
            "email": "camat@medan.go.id",
            "role": Role.OPERATOR_KECAMATAN,
            "wilayah_code": places["kecamatan"],
        },
    )
    assert sent.status_code == 302
    page = client.get("/akun/pengguna/").content.decode()
    assert places["kecamatan_nama"] in page
    with schema_context(medan.schema_name):
        invitation = Invitation.objects.get(email="camat@medan.go.id")
        assert invitation.wilayah_code == places["kecamatan"]
        invitation = services.invitation_create(
            tenant=medan,
            email="camat@medan.go.id",
            role=Role.OPERATOR_KECAMATAN,
            wilayah_code=places["kecamatan"],
            invited_by=admin,
        )
        user = services.invitation_accept(
            token=invitation.token, password="Rahasia-yang-panjang-123", full_name="Camat"
        )
        row = RoleAssignment.objects.get(user=user)
    assert (row.role, row.wilayah_code) == (Role.OPERATOR_KECAMATAN, places["kecamatan"])


def test_the_api_sets_and_refuses_a_wilayah_code_with_field_and_message(
    make_user: MakeUser, medan: Tenant, places: dict[str, str]
) -> None:
    admin = make_user("admin@medan.go.id", schema=medan, roles=[Role.ADMIN])
    staff = make_user("staf@medan.go.id", schema=medan, roles=[Role.TAPD])
    client = signed_in(host_of(medan), admin)
    url = f"/api/akun/pengguna/{staff.pk}/peran/"
    refused = client.put(
        url,
        {"roles": [Role.OPERATOR_DESA], "wilayah_code": places["buol_desa"]},
        content_type="application/json",
    )
    assert refused.status_code == 400
    assert refused.json()["field"] == "wilayah_code"
    done = client.put(
        url,
        {"roles": [Role.OPERATOR_DESA], "wilayah_code": places["desa"]},
        content_type="application/json",
    )
    assert done.status_code == 200, done.content
    assert done.json()["roles"] == [
        {
            "role": Role.OPERATOR_DESA,
            "opd_code": "",
            "wilayah_code": places["desa"],
            "wilayah_nama": done.json()["roles"][0]["wilayah_nama"],
        }
    ]
    assert places["desa_nama"] in done.json()["roles"][0]["wilayah_nama"]
    invited = client.post(
        "/api/akun/undangan/",
        {"email": "desa@medan.go.id", "role": Role.OPERATOR_DESA, "wilayah_code": ""},
        content_type="application/json",
    )
    assert invited.status_code == 400 and invited.json()["field"] == "wilayah_code"
    with schema_context(medan.schema_name):
        assert not User.objects.filter(email="desa@medan.go.id").exists()
