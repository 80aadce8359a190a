"""Deliveries: what the family was sent, when it was delivered and first opened."""

from __future__ import annotations

from tandem.communication.deliveries import mark_opened, record_delivery
from tandem.communication.queries import deliveries_for_guardian, deliveries_for_student


def test_record_list_and_mark_opened(world):
    guardian = world.users["parent"].guardian
    d = record_delivery(
        student=world.maya,
        guardian=guardian,
        kind="notice",
        title="Meeting notice",
        url="/notices/abc/pdf/",
        document_hash="f" * 64,
        sent_by=world.users["case_manager"],
    )
    assert d.delivered_at is not None and d.opened_at is None
    assert list(deliveries_for_guardian(guardian)) == [d]
    assert list(deliveries_for_student(world.maya)) == [d]
    # someone else opening the link does not count; staff have no guardian profile
    assert mark_opened(world.users["case_manager"], "/notices/abc/pdf/") == 0
    assert mark_opened(world.users["uncle"], "/notices/abc/pdf/") == 0
    assert mark_opened(world.users["parent"], "https://tandem.example/notices/abc/pdf/?x=1") == 1
    d.refresh_from_db()
    first = d.opened_at
    assert first is not None
    assert mark_opened(world.users["parent"], "/notices/abc/pdf/") == 0  # the first opening stays
    d.refresh_from_db()
    assert d.opened_at == first


def test_mark_opened_never_raises(world):
    from django.contrib.auth.models import AnonymousUser

    assert mark_opened(AnonymousUser(), "/x/") == 0
    assert mark_opened(None, "/x/") == 0
    assert mark_opened(world.users["parent"], "") == 0


def test_deliveries_for_guardian_query_count(world, django_assert_num_queries):
    guardian = world.users["parent"].guardian
    for i in range(10):
        record_delivery(
            student=world.maya, guardian=guardian, kind="plan", title=f"Plan {i}", url=f"/p/{i}/"
        )
    with django_assert_num_queries(1):
        assert len([d.student.display_name for d in deliveries_for_guardian(guardian)]) == 10
