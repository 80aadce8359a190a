"""Email backends that fail, for the retry tests."""

from __future__ import annotations

from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.locmem import EmailBackend as LocMem


class Flaky(LocMem):
    """Fails the first `failures` sends (class-level, reset by the tests), then delivers."""

    failures = 0
    calls = 0

    def send_messages(self, messages):  # type: ignore[no-untyped-def]
        type(self).calls += 1
        if type(self).calls <= type(self).failures:
            raise ConnectionRefusedError("mail server down")
        return super().send_messages(messages)


class Down(BaseEmailBackend):
    def send_messages(self, messages):  # type: ignore[no-untyped-def]
        raise ConnectionRefusedError("mail server down")


__all__ = ["Flaky", "Down", "mail"]
