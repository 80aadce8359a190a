"""The API limits calls per account (issue 16): 429 in the JSON envelope with Retry-After."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from tests.config.test_settings import start

URL = "/api/v1/students"


@pytest.fixture
def limited(settings):  # type: ignore[no-untyped-def]
    settings.API_RATE_LIMIT = "3/m"
    cache.clear()
    yield
    cache.clear()


def test_calls_over_the_limit_get_429_with_retry_after(world, limited):
    client = world.client_for("case_manager")
    assert [client.get(URL).status_code for _ in range(3)] == [200, 200, 200]
    response = client.get(URL)
    assert response.status_code == 429
    assert response["Retry-After"] == "60"
    assert response.json()["error"]["code"] == "too_many_requests"


def test_the_limit_is_per_account(world, limited):
    for _ in range(3):
        world.client_for("case_manager").get(URL)
    assert world.client_for("case_manager").get(URL).status_code == 429
    assert world.client_for("principal").get(URL).status_code == 200


def test_an_empty_limit_turns_it_off(world, settings):
    settings.API_RATE_LIMIT = ""
    client = world.client_for("case_manager")
    assert {client.get(URL).status_code for _ in range(5)} == {200}


@pytest.mark.parametrize("value", ["600", "ten/m", "0/m", "5/week"])
def test_a_malformed_limit_stops_start_up_naming_the_variable(value):
    done = start({"SECRET_KEY": "x", "API_RATE_LIMIT": value})
    assert done.returncode != 0
    assert f"API_RATE_LIMIT={value!r}" in done.stderr
