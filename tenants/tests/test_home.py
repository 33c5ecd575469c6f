"""The signed-in home page says, per role, what there is to do here, with working links."""

import pytest
from django.test import Client

from apps.accounts.models import Role, User
from tenants.home import PLATFORM_TASKS, REGION_TASKS
from tenants.models import Tenant
from tests.pages import console_client, region_client


def _links(client: Client) -> tuple[str, list[str]]:
    response = client.get("/")
    assert response.status_code == 200
    body = response.content.decode()
    section = body.split('id="tasks-title"', 1)[1].split("</section>", 1)[0]
    return section, [part.split('"', 1)[0] for part in section.split('<a href="')[1:]]


def test_every_region_role_and_platform_role_has_tasks() -> None:
    assert set(REGION_TASKS) == set(Role.values)
    assert set(PLATFORM_TASKS) == {r for r in User.PlatformRole.values if r}


@pytest.mark.parametrize("role", Role.values)
def test_each_region_role_sees_its_tasks_with_links_that_open(medan: Tenant, role: str) -> None:
    client, _user = region_client(medan, role)

    section, links = _links(client)

    assert "Yang dapat Anda kerjakan" in section
    for text, _name in REGION_TASKS[role]:
        assert str(text) in section
    assert "/akun/token/" in links  # everyone manages their own API tokens
    for link in links:
        assert client.get(link).status_code == 200, link


def test_a_region_user_without_a_role_is_told_whom_to_ask(medan: Tenant) -> None:
    client, _user = region_client(medan)
    section, links = _links(client)
    assert "belum memiliki peran" in section
    assert links == []


def test_two_roles_list_a_shared_task_once(medan: Tenant) -> None:
    client, _user = region_client(medan, Role.TAPD, Role.BPKAD)
    _section, links = _links(client)
    assert len(links) == len(set(links))
    assert "/referensi/sumber-dana/" in links


@pytest.mark.parametrize("role", [r for r in User.PlatformRole.values if r])
def test_each_platform_role_sees_its_console_tasks(db: None, role: str) -> None:
    client = console_client(role, province_code="72" if role == "provincial_admin" else "")

    section, links = _links(client)

    for text, _name in PLATFORM_TASKS[role]:
        assert str(text) in section
    assert links
    for link in links:
        assert client.get(link).status_code == 200, link


def test_a_signed_in_person_without_a_platform_role_is_sent_to_their_region(db: None) -> None:
    section, links = _links(console_client(""))
    assert "bukan staf platform" in section
    assert links == []


def test_the_anonymous_home_pages_have_no_task_list(medan: Tenant) -> None:
    assert "tasks-title" not in Client(HTTP_HOST="localhost").get("/").content.decode()
    region_page = Client(HTTP_HOST="medan.localhost").get("/").content.decode()
    assert "tasks-title" not in region_page
    assert "/akun/login/" in region_page
