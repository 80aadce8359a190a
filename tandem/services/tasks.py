"""Background work for service delivery (django-tasks): the daily minutes and absences check."""

from __future__ import annotations

from datetime import date

from django_tasks import task

from tandem.core import clock
from tandem.services import director
from tandem.services.alerts import check_all


@task()
def check_service_minutes(today: str | None = None) -> dict[str, int]:
    """Tell case managers of new shortfalls and absence patterns, once per episode; count
    every district's mandates for the director's page (`tandem.services.tallies`).

    `today` is an ISO date (task arguments travel as JSON); it defaults to Tandem's today.
    """
    day = date.fromisoformat(today) if today else clock.today()
    checked = check_all(today=day).as_dict()
    # The director's page reads these tallies: counted here, its first visit of the day is quick.
    return checked | {"mandates_counted": director.count_ahead(today=day)}
