"""Load (or refresh) the goal bank shipped with Tandem."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from tandem.goals.bank import load_bank


class Command(BaseCommand):
    help = "Create or update the shipped goal templates (district and personal ones are kept)."

    def handle(self, *args: Any, **options: Any) -> None:
        created, updated = load_bank()
        self.stdout.write(f"Goal bank: {created} created, {updated} updated.")
