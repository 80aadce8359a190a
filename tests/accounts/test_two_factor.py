"""The second factor: setting up an authenticator app, its code at sign-in, recovery codes, who
must have one, the administrator's reset and the command for the last administrator."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tandem.accounts.models import AuditEvent, Channel
from tandem.audit.catalogue import Action
from tandem.web import two_factor
from tests.factories import PASSWORD

ROOT = Path(__file__).resolve().parents[2]
SETUP, VERIFY = "/account/two-factor/", "/login/verify/"

pytestmark = pytest.mark.django_db


def code(device: TOTPDevice, *, ahead: int = 0) -> str:
    """The code the app shows now (`ahead` steps later: the device accepts one step ahead)."""
    device.refresh_from_db()
    number = totp(device.bin_key, device.step, device.t0, device.digits, device.drift + ahead)
    return f"{number:06d}"


def enrolled(user) -> tuple[TOTPDevice, list[str]]:  # type: ignore[no-untyped-def]
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    holder = StaticDevice.objects.create(user=user, name="codes", confirmed=True)
    codes = ["abcd2345", "efgh6723"]
    for token in codes:
        StaticToken.objects.create(device=holder, token=token)
    return device, codes


def signed_in(user) -> Client:  # type: ignore[no-untyped-def]
    """A client signed in with the password form, as a person would."""
    client = Client()
    response = client.post("/login/", {"username": user.email, "password": PASSWORD})
    assert response.status_code == 302, response.content[:500]
    return client


def actions(user) -> list[str]:  # type: ignore[no-untyped-def]
    rows = AuditEvent.objects.filter(object_id=str(user.public_id), action__startswith="two_f")
    return list(rows.order_by("id").values_list("action", flat=True))


# --- setting up ---------------------------------------------------------------------------------


def test_setup_page_shows_a_qr_code_and_the_key_and_keeps_them_on_reload(world):
    client = world.client_for("case_manager")
    first = client.get(SETUP)
    assert first.status_code == 200
    page = first.content.decode()
    assert '<svg role="img" aria-label=' in page
    device = TOTPDevice.objects.get(user=world.users["case_manager"])
    assert not device.confirmed
    assert two_factor.secret_text(device) in page
    assert two_factor.secret_text(device) in client.get(SETUP).content.decode()
    assert TOTPDevice.objects.filter(user=world.users["case_manager"]).count() == 1


def test_the_first_code_turns_the_app_on_and_shows_ten_recovery_codes_once(world):
    user = world.users["case_manager"]
    client = world.client_for("case_manager")
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=user)
    response = client.post(SETUP, {"code": code(device), "next": "/students/"})
    assert response.status_code == 200
    tokens = list(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))
    assert len(tokens) == 10
    page = response.content.decode()
    assert all(token in page for token in tokens)
    assert 'href="/students/"' in page
    device.refresh_from_db()
    assert device.confirmed
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert actions(user) == [Action.TWO_FACTOR__ENROLLED]
    again = client.get(SETUP).content.decode()
    assert not any(token in again for token in tokens)
    assert "already sign in with an authenticator app" in again


@pytest.mark.parametrize("typed", ["", "12ab56", "1234567"])
def test_a_malformed_code_is_a_400_naming_the_field(world, typed):
    client = world.client_for("teacher")
    client.get(SETUP)
    response = client.post(SETUP, {"code": typed})
    assert response.status_code == 400
    assert 'id="id_code-error"' in response.content.decode()
    assert not TOTPDevice.objects.filter(user=world.users["teacher"], confirmed=True).exists()


def test_a_wrong_code_confirms_nothing(world):
    user = world.users["teacher"]
    client = world.client_for("teacher")
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=user)
    wrong = f"{(int(code(device)) + 500_000) % 1_000_000:06d}"
    response = client.post(SETUP, {"code": wrong})
    assert response.status_code == 400
    assert "That code does not match" in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    assert not StaticDevice.objects.filter(user=user).exists()
    assert DEVICE_ID_SESSION_KEY not in client.session
    assert actions(user) == []


def test_setting_up_a_new_app_replaces_the_old_one_and_its_codes(world):
    user = world.users["case_manager"]
    old, old_codes = enrolled(user)
    client = world.client_for("case_manager")
    assert client.get(SETUP)["Location"].startswith(VERIFY)  # not before the old app's code
    assert not TOTPDevice.objects.filter(user=user, confirmed=False).exists()
    client.post(VERIFY, {"code": code(old)})
    client.get(SETUP)
    new = TOTPDevice.objects.get(user=user, confirmed=False)
    assert client.post(SETUP, {"code": code(new)}).status_code == 200
    assert list(TOTPDevice.objects.filter(user=user).values_list("pk", flat=True)) == [new.pk]
    assert not StaticToken.objects.filter(token__in=old_codes).exists()
    event = AuditEvent.objects.get(action=Action.TWO_FACTOR__ENROLLED)
    assert event.detail == {"replaced": True}
    assert event.district == world.riverside


def test_parents_have_no_setup_page(world):
    assert world.client_for("parent").get(SETUP).status_code == 404
    assert not TOTPDevice.objects.exists()


# --- the code at sign-in ------------------------------------------------------------------------


def test_a_person_with_an_app_gives_its_code_before_any_page(world):
    user = world.users["case_manager"]
    device, _codes = enrolled(user)
    client = signed_in(user)
    response = client.get("/students/")
    assert response.status_code == 302
    assert response["Location"] == f"{VERIFY}?next=%2Fstudents%2F"
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert 'autocomplete="one-time-code"' in page.content.decode()
    done = client.post(VERIFY, {"code": code(device), "next": "/students/"})
    assert done.status_code == 302
    assert done["Location"] == "/students/"
    assert client.get("/students/").status_code == 200
    assert actions(user) == [Action.TWO_FACTOR__VERIFIED]
    assert AuditEvent.objects.get(action=Action.TWO_FACTOR__VERIFIED).detail == {"with": "app"}


def test_while_the_code_is_owed_only_its_page_sign_out_and_health_answer(world):
    user = world.users["case_manager"]
    enrolled(user)
    client = signed_in(user)
    timer = client.get("/session/time/")
    assert timer.status_code == 401
    assert timer.json()["signed_in"] is False
    assert client.get("/healthz").status_code in (200, 503)
    assert client.get("/", headers={"HX-Request": "true"}).status_code == 401
    assert client.get("/api/v1/students").status_code == 401  # the session is not the API's
    assert client.get(VERIFY).status_code == 200
    assert "Main" not in client.get(VERIFY).content.decode()  # no menu of pages it cannot open
    assert client.post("/logout/").status_code == 302
    assert "_auth_user_id" not in client.session


def test_a_wrong_code_is_a_400_and_audited_and_the_right_one_then_works(world, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # django-otp's back-off would make the test wait
    user = world.users["case_manager"]
    device, _codes = enrolled(user)
    client = signed_in(user)
    wrong = f"{(int(code(device)) + 500_000) % 1_000_000:06d}"
    response = client.post(VERIFY, {"code": wrong})
    assert response.status_code == 400
    assert 'id="id_code-error"' in response.content.decode()
    assert client.get("/students/").status_code == 302
    assert client.post(VERIFY, {"code": code(device)}).status_code == 302
    assert client.get("/students/").status_code == 200
    assert actions(user) == [Action.TWO_FACTOR__FAILED, Action.TWO_FACTOR__VERIFIED]


def test_five_wrong_codes_sign_the_session_out(world):
    user = world.users["case_manager"]
    device, _codes = enrolled(user)
    client = signed_in(user)
    wrong = f"{(int(code(device)) + 500_000) % 1_000_000:06d}"
    for _attempt in range(4):
        assert client.post(VERIFY, {"code": wrong}).status_code == 400
    last = client.post(VERIFY, {"code": wrong})
    assert last.status_code == 302
    assert last["Location"] == "/login/"
    assert "_auth_user_id" not in client.session
    assert actions(user) == [Action.TWO_FACTOR__FAILED] * 4 + [Action.TWO_FACTOR__LOCKED_OUT]
    again = signed_in(user)  # a new sign-in starts a new count
    assert again.get("/students/").status_code == 302


def test_a_recovery_code_works_once(world, settings):
    settings.OTP_STATIC_THROTTLE_FACTOR = 0  # django-otp's back-off would make the test wait
    user = world.users["case_manager"]
    _device, codes = enrolled(user)
    client = signed_in(user)
    assert client.post(VERIFY, {"code": codes[0].upper()}).status_code == 302
    assert client.get("/students/").status_code == 200
    assert AuditEvent.objects.get(action=Action.TWO_FACTOR__VERIFIED).detail == {
        "with": "recovery_code"
    }
    client.post("/logout/")
    client = signed_in(user)
    assert client.post(VERIFY, {"code": codes[0]}).status_code == 400
    assert client.post(VERIFY, {"code": codes[1]}).status_code == 302


def test_the_code_page_sends_a_session_that_owes_nothing_on(world):
    client = world.client_for("case_manager")
    response = client.get(VERIFY, {"next": "/students/"})
    assert response.status_code == 302
    assert response["Location"] == "/students/"
    assert world.client_for("anonymous").get(VERIFY).status_code == 302
    offsite = client.get(VERIFY, {"next": "https://evil.example/"})
    assert offsite["Location"] == "/"


# --- who must have one --------------------------------------------------------------------------


def test_a_district_administrator_without_an_app_sets_one_up_first(world, settings):
    settings.TWO_FACTOR_FOR_ADMINS = True
    user = world.users["director"]
    client = signed_in(user)
    response = client.get("/audit/")
    assert response["Location"] == f"{SETUP}?next=%2Faudit%2F"
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "Your district asks you" in page.content.decode()
    assert client.get("/session/time/").status_code == 401
    device = TOTPDevice.objects.get(user=user)
    assert client.post(SETUP, {"code": code(device), "next": "/audit/"}).status_code == 200
    assert client.get("/audit/").status_code == 200


def test_administrators_are_not_held_when_the_setting_is_off(world, settings):
    settings.TWO_FACTOR_FOR_ADMINS = False
    assert signed_in(world.users["director"]).get("/audit/").status_code == 200


def test_a_district_can_require_it_of_all_staff(world, settings):
    settings.TWO_FACTOR_FOR_ADMINS = False
    world.riverside.settings = {"accounts": {"second_factor_for_all_staff": True}}
    world.riverside.save()
    assert signed_in(world.users["teacher"]).get("/students/")["Location"].startswith(SETUP)
    assert signed_in(world.users["oak_director"]).get("/students/").status_code == 200
    assert signed_in(world.users["parent"]).get("/").status_code == 200  # not staff


# --- the administrator's page and the reset -----------------------------------------------------


def staff_url(world, persona: str) -> str:  # type: ignore[no-untyped-def]
    return f"{SETUP}staff/{world.users[persona].staff.public_id}/reset/"


def test_the_staff_page_lists_the_district_staff_for_its_administrator_only(world):
    for persona in ("teacher", "case_manager", "principal", "parent"):
        assert world.client_for(persona).get(f"{SETUP}staff/").status_code == 404
    enrolled(world.users["teacher"])
    page = world.client_for("director").get(f"{SETUP}staff/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "teacher@r.test" in text
    assert "director@o.test" not in text
    assert "Reset the app of" in text
    oak = world.client_for("oak_director").get(f"{SETUP}staff/").content.decode()
    assert "teacher@r.test" not in oak


def test_the_staff_page_makes_the_same_queries_for_more_staff(world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import make_staff

    client = world.client_for("director")

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"{SETUP}staff/").status_code == 200
        return len(captured)

    before = count()
    for n in range(5):
        enrolled(make_staff(f"more{n}@r.test", [("teacher", world.riverside, None)]).user)
    assert count() == before


def test_an_administrator_resets_a_staff_member_of_their_district(world, settings):
    settings.TWO_FACTOR_FOR_ADMINS = False
    teacher = world.users["teacher"]
    device, _codes = enrolled(teacher)
    teacher_client = signed_in(teacher)
    teacher_client.post(VERIFY, {"code": code(device)})
    assert teacher_client.get("/students/").status_code == 200
    response = world.client_for("director").post(staff_url(world, "teacher"))
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=teacher).exists()
    assert not StaticDevice.objects.filter(user=teacher).exists()
    event = AuditEvent.objects.get(action=Action.TWO_FACTOR__RESET)
    assert (event.actor, event.district, event.detail) == (
        world.users["director"],
        world.riverside,
        {"had_app": True},
    )
    # Not required of a teacher here: the live session goes on without an app.
    assert teacher_client.get("/students/").status_code == 200


def test_after_a_reset_a_required_person_sets_up_again_even_mid_session(world, settings):
    settings.TWO_FACTOR_FOR_ADMINS = False
    world.riverside.settings = {"accounts": {"second_factor_for_all_staff": True}}
    world.riverside.save()
    teacher = world.users["teacher"]
    device, _codes = enrolled(teacher)
    teacher_client = signed_in(teacher)
    teacher_client.post(VERIFY, {"code": code(device)})
    assert teacher_client.get("/students/").status_code == 200
    two_factor.reset(actor=world.users["director"], user=teacher)
    assert teacher_client.get("/students/")["Location"].startswith(SETUP)


@pytest.mark.parametrize("persona", ["oak_director", "teacher", "principal", "parent"])
def test_no_one_else_can_reset(world, persona):
    enrolled(world.users["case_manager"])
    response = world.client_for(persona).post(staff_url(world, "case_manager"))
    assert response.status_code == 404
    assert TOTPDevice.objects.filter(user=world.users["case_manager"]).exists()
    assert not AuditEvent.objects.filter(action=Action.TWO_FACTOR__RESET).exists()


def test_an_administrator_does_not_reset_their_own_app_from_the_page(world):
    director = world.users["director"]
    device, _codes = enrolled(director)
    client = signed_in(director)
    client.post(VERIFY, {"code": code(device)})
    assert client.post(staff_url(world, "director")).status_code == 404
    assert TOTPDevice.objects.filter(user=director).exists()


def test_an_administrator_requires_it_of_all_staff_of_their_district(world, settings):
    settings.TWO_FACTOR_FOR_ADMINS = False
    url = f"{SETUP}districts/{world.riverside.public_id}/"
    assert (
        world.client_for("oak_director").post(url, {"riverside-required": "on"}).status_code == 404
    )
    assert world.client_for("teacher").post(url, {"riverside-required": "on"}).status_code == 404
    director = world.client_for("director")
    response = director.post(url, {"riverside-required": "on"})
    assert response.status_code == 302
    world.riverside.refresh_from_db()
    assert two_factor.district_requires(world.riverside)
    event = AuditEvent.objects.get(action=Action.TWO_FACTOR__REQUIREMENT_CHANGED)
    assert (event.district, event.detail) == (world.riverside, {"all_staff": True})
    assert signed_in(world.users["teacher"]).get("/students/")["Location"].startswith(SETUP)
    director.post(url, {})  # signed in before the change: the change applies from the next
    world.riverside.refresh_from_db()
    assert not two_factor.district_requires(world.riverside)


# --- the command for the last administrator -----------------------------------------------------


def test_the_command_resets_an_account_and_is_audited(world, capsys):
    user = world.users["director"]
    enrolled(user)
    call_command("reset_two_factor", "Director@R.test")
    assert "Removed the authenticator app of director@r.test" in capsys.readouterr().out
    assert not TOTPDevice.objects.filter(user=user).exists()
    event = AuditEvent.objects.get(action=Action.TWO_FACTOR__RESET)
    assert (event.actor, event.channel, event.district) == (None, Channel.COMMAND, world.riverside)
    with pytest.raises(CommandError, match="EMAIL"):
        call_command("reset_two_factor", "nobody@r.test")


def test_the_command_starts_from_a_plain_shell(tmp_path):
    key = tmp_path / "secret_key"
    key.write_text("k" * 50)
    plain = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "SECRET_KEY")}
    done = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "reset_two_factor", "--help"],
        env={**plain, "SECRET_KEY_FILE": str(key)},
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "authenticator app" in done.stdout
