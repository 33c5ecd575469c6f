"""Bahasa Indonesia unless chosen otherwise, on pages and on routing refusals alike."""

from django.test import Client

from tenants.models import Tenant


def test_an_english_browser_still_gets_indonesian_by_default(medan: Tenant) -> None:
    response = Client().get("/", HTTP_HOST="localhost", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.status_code == 200
    assert response["Content-Language"] == "id"
    assert "Konsol Berbagi" in response.content.decode()


def test_the_language_cookie_switches_pages_to_english(medan: Tenant) -> None:
    client = Client()
    client.cookies["django_language"] = "en"
    response = client.get("/", HTTP_HOST="localhost")
    assert response["Content-Language"] == "en"
    assert "Berbagi console" in response.content.decode()


def test_routing_refusals_speak_the_chosen_language(db: None) -> None:
    client = Client()
    client.cookies["django_language"] = "en"
    response = client.get("/", HTTP_HOST="tidakada.localhost")
    assert response.status_code == 404
    assert "No region was found at this address." in response.content.decode()


def test_an_unsupported_language_cookie_falls_back_to_indonesian(db: None) -> None:
    client = Client()
    client.cookies["django_language"] = "fr"
    response = client.get("/", HTTP_HOST="tidakada.localhost")
    assert "Daerah dengan alamat ini tidak ditemukan." in response.content.decode()
