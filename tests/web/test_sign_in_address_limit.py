"""Sign-in is throttled per address as well as per account (issue 16), with the address limit
far above a school's typing mistakes so that a shared address is no lockout switch."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tandem.accounts.models import User


@pytest.fixture
def throttled(settings):  # type: ignore[no-untyped-def]
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    settings.SIGN_IN_ADDRESS_LIMIT = 5
    settings.SIGN_IN_ADDRESS_MINUTES = 15


def _fail(client, name: str, address: str) -> int:  # type: ignore[no-untyped-def]
    response = client.post(
        reverse("login"), {"username": name, "password": "wrong"}, REMOTE_ADDR=address
    )
    return response.status_code


def test_an_address_failing_across_many_accounts_is_paused(world, client, password, throttled):
    # Two failures on each of three accounts: no account reaches its limit of three.
    for name in ("a@x.test", "b@x.test", "c@x.test"):
        for _ in range(2):
            _fail(client, name, "198.51.100.20")
    # Six failures from one address: the seventh sign-in is paused before any password check,
    # even with the right password of an account that never failed.
    colleague = world.users["director"].email
    response = client.post(
        reverse("login"), {"username": colleague, "password": password}, REMOTE_ADDR="198.51.100.20"
    )
    assert response.status_code == 429
    assert "Sign-in from this network is paused" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_other_addresses_sign_in_as_usual(world, client, password, throttled):
    for n in range(6):
        _fail(client, f"user{n}@x.test", "198.51.100.21")
    colleague = world.users["director"].email
    response = client.post(
        reverse("login"), {"username": colleague, "password": password}, REMOTE_ADDR="203.0.113.5"
    )
    assert response.status_code == 302


def test_below_the_address_limit_a_shared_address_works(world, client, password, throttled):
    for n in range(4):  # four typos by four teachers behind the school's address
        _fail(client, f"teacher{n}@x.test", "192.0.2.44")
    colleague = world.users["director"].email
    response = client.post(
        reverse("login"), {"username": colleague, "password": password}, REMOTE_ADDR="192.0.2.44"
    )
    assert response.status_code == 302
    assert User.objects.filter(email=colleague).exists()


def test_the_paused_page_is_in_spanish_too(world, client, throttled, settings):
    for n in range(6):
        _fail(client, f"user{n}@x.test", "198.51.100.22")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    response = client.post(
        reverse("login"), {"username": "x@x.test", "password": "x"}, REMOTE_ADDR="198.51.100.22"
    )
    assert response.status_code == 429
    assert response["Content-Language"] == "es"
