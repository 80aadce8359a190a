"""Offline first on the session log: only the redirect after a save names the browser's copy.

offline_form.js keeps what was typed until the server names its copy (`?saved=<draft id>`);
a refusal, or anything but an id, never does. The browser side is tests/browser/test_teletherapy_session.py.
"""

from __future__ import annotations

import uuid

from tandem.core import clock
from tandem.services.models import AttendanceCode, ServiceSession
from tests.services.test_views import LOG, TODAY, _post


def test_a_save_names_the_browsers_copy_in_its_redirect(world, slp, speech) -> None:  # type: ignore[no-untyped-def]
    draft = str(uuid.uuid4())
    response = _post(world, "slp", [(speech, AttendanceCode.DELIVERED)], draft=draft)
    assert response.status_code == 302
    assert response["Location"] == f"{LOG}?saved={draft}"
    assert ServiceSession.objects.count() == 1


def test_anything_but_an_id_is_not_echoed(world, slp, speech) -> None:  # type: ignore[no-untyped-def]
    response = _post(
        world, "slp", [(speech, AttendanceCode.DELIVERED)], draft='"><script>x</script>'
    )
    assert response.status_code == 302
    assert response["Location"] == LOG


def test_a_refused_session_is_not_confirmed_and_keeps_the_page(world, slp, speech) -> None:  # type: ignore[no-untyped-def]
    response = _post(
        world,
        "slp",
        [(speech, AttendanceCode.DELIVERED)],
        draft=str(uuid.uuid4()),
        minutes="",
    )
    assert response.status_code == 400
    assert not ServiceSession.objects.exists()
    html = response.content.decode()
    assert 'data-offline-key="tandem:offline:session_log:' in html
    assert "offline_form.js" in html
    assert "Restored what you typed; not yet saved." in html  # the notice, hidden until needed


def test_the_page_keys_the_copy_per_user(world, slp, speech) -> None:  # type: ignore[no-untyped-def]
    with clock.fixed(TODAY):
        html = world.client_for("slp").get(LOG).content.decode()
    assert f'data-offline-key="tandem:offline:session_log:{slp.pk}"' in html
