"""Every table is exported with its district, or left out on purpose with the reason."""

from __future__ import annotations

from django.apps import apps

from tandem.backups.graph import EXCLUDED, PERSONAL, plan


def test_every_model_is_exported_or_excluded_with_a_reason() -> None:
    # A new model with no foreign key towards its district (or its people) is never exported:
    # give it one, or add it to EXCLUDED in tandem/backups/graph.py with the reason.
    assert plan().unclassified == []


def test_the_exclusions_and_personal_links_name_real_models() -> None:
    labels = {m._meta.label for m in apps.get_models(include_auto_created=True)}
    assert sorted(set(EXCLUDED) - labels) == []
    assert all(reason.strip() for reason in EXCLUDED.values())
    for label, fk in PERSONAL:
        assert apps.get_model(label)._meta.get_field(fk).is_relation, (label, fk)


def test_student_records_are_placed_by_their_chain_to_the_district() -> None:
    tables = plan().tables
    assert tables["plans.Goal"].paths == ("plan__student__district__pk",)
    assert tables["access.AuditEvent"].paths == ("district__pk", "student__district__pk")
    assert not tables["access.User"].tenant  # people are exported as the district's rows need
