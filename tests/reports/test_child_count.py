"""The counting rules of the IDEA section 618 reports, on small worlds (tandem/reports/child_count)."""

from __future__ import annotations

from datetime import date

import pytest

from tandem.people.models import Student
from tandem.plans.models import PlanKind, PlanStatus
from tandem.reports import child_count as cc
from tests.factories import make_student
from tests.reports.federal_world import COUNT_DAY, PULL_OUT, counted_student, eligible, iep

pytestmark = pytest.mark.django_db


def _count(world, day: date = COUNT_DAY) -> cc.Result:  # type: ignore[no-untyped-def]
    return cc.child_count(world.riverside, Student.objects.filter(district=world.riverside), day)


def _where(result: cc.Result, student: Student) -> str:
    found = [c.file for c in result.counted if c.student_id == student.pk]
    reasons = [r for u in result.uncounted if u.student_id == student.pk for r in u.reasons]
    return found[0] if found else ("not counted: " + ",".join(reasons) if reasons else "absent")


def test_age_boundaries_on_the_count_date(world) -> None:  # type: ignore[no-untyped-def]
    actor = world.users["director"]
    north = world.north
    # Born on the count date 6 years before: 6 that day, school age.
    six = counted_student(north, actor, first="Six", born=date(2019, 10, 1), grade="1")
    # 6 the day after: 5 on the count date, not in kindergarten: early childhood.
    five_pk = counted_student(north, actor, first="Fivepk", born=date(2019, 10, 2), grade="PK",
                              lre={"environment": "REC10YSVCS"})  # fmt: skip
    five_k = counted_student(north, actor, first="Fivek", born=date(2020, 3, 1), grade="K")
    three = counted_student(north, actor, first="Three", born=date(2022, 10, 1), grade="PK",
                            lre={"environment": "H"}, category="developmental_delay")  # fmt: skip
    two = counted_student(north, actor, first="Two", born=date(2022, 10, 2), grade="PK",
                          lre={"environment": "H"})  # fmt: skip
    twenty_one = counted_student(north, actor, first="Old", born=date(2003, 10, 2), grade="PS")
    twenty_two = counted_student(north, actor, first="Older", born=date(2003, 10, 1), grade="PS")
    result = _count(world)
    assert _where(result, six) == cc.FS002
    assert _where(result, five_pk) == cc.FS089
    assert _where(result, five_k) == cc.FS002  # 5 in kindergarten: school age
    assert _where(result, three) == cc.FS089
    assert _where(result, two) == f"not counted: {cc.BAD_AGE}"
    assert _where(result, twenty_one) == cc.FS002
    assert _where(result, twenty_two) == f"not counted: {cc.BAD_AGE}"
    ages = {c.student_id: c.values["age"] for c in result.counted}
    assert ages[six.pk] == "6" and ages[five_pk.pk] == "5" and ages[twenty_one.pk] == "21"


def test_the_grade_is_the_one_of_the_count_date(world) -> None:  # type: ignore[no-untyped-def]
    """A child who was in kindergarten on the count date and is in grade 1 now is FS002."""
    actor = world.users["director"]
    student = counted_student(world.north, actor, first="Moved", born=date(2020, 5, 1), grade="K")
    Student.objects.filter(pk=student.pk).update(grade="1")
    assert _where(_count(world), student) == cc.FS002


def test_only_an_iep_in_effect_that_day_is_counted(world) -> None:  # type: ignore[no-untyped-def]
    actor = world.users["director"]
    born = date(2015, 1, 1)
    ended = counted_student(world.north, actor, first="Ended", born=born, status=PlanStatus.ENDED,
                            end=date(2025, 9, 30), exit_reason="TRAN",
                            exit_date=date(2025, 9, 30))  # fmt: skip
    on_the_day = counted_student(world.north, actor, first="Today", born=born,
                                 status=PlanStatus.ENDED, end=COUNT_DAY, exit_reason="MKC",
                                 exit_date=COUNT_DAY)  # fmt: skip
    later = counted_student(world.north, actor, first="Later", born=born,
                            start=date(2025, 10, 2))  # fmt: skip
    draft = counted_student(world.north, actor, first="Draft", born=born, status=PlanStatus.DRAFT)
    overdue = counted_student(world.north, actor, first="Overdue", born=born,
                              start=date(2024, 9, 1), end=date(2025, 8, 31))  # fmt: skip
    only_504 = make_student(world.north, first="Only", last="Fivezerofour", race_white=True)
    iep(only_504, actor, kind=PlanKind.SECTION_504)
    result = _count(world)
    assert _where(result, ended) == "absent"  # ended the day before
    assert _where(result, on_the_day) == cc.FS002
    assert _where(result, later) == "absent"
    assert _where(result, draft) == "absent"
    assert _where(result, overdue) == f"not counted: {cc.REVIEW_OVERDUE}"
    assert _where(result, only_504) == "absent"


def test_the_breakdowns_and_the_missing(world) -> None:  # type: ignore[no-untyped-def]
    actor = world.users["director"]
    born = date(2015, 1, 1)
    a = counted_student(world.north, actor, first="A", born=born, services=[PULL_OUT],
                        hispanic_latino=True, english_learner=True, sex="M")  # fmt: skip
    b = counted_student(world.north, actor, first="B", born=born, race_asian=True,
                        category="deafness", lre={"placement": "SS"})  # fmt: skip
    no_race = counted_student(world.north, actor, first="C", born=born, race_white=False)
    no_env = counted_student(world.north, actor, first="D", born=born, services=[])
    no_category = make_student(world.north, first="E", last="Count", race_black=True,
                               date_of_birth=born)  # fmt: skip
    iep(no_category, actor)
    early = counted_student(world.north, actor, first="F", born=date(2021, 6, 1), grade="PK")
    result = _count(world)
    values = {c.student_id: c.values for c in result.counted}
    assert values[a.pk]["race"] == "HI7" and values[a.pk]["english_learner"] == "LEP"
    assert values[a.pk]["environment"] == "RC79TO40" and values[a.pk]["sex"] == "M"
    assert values[a.pk]["disability"] == "SLD"
    assert values[b.pk]["race"] == "MU7"  # white and Asian: two or more races
    assert values[b.pk]["disability"] == "HI"  # deafness is reported as hearing impairment
    assert values[b.pk]["environment"] == "SS"  # the placement, whatever the minutes
    assert _where(result, no_race) == f"not counted: {cc.NO_RACE}"
    assert _where(result, no_env) == f"not counted: {cc.NO_ENVIRONMENT}"
    assert _where(result, no_category) == f"not counted: {cc.NO_DISABILITY}"
    # Early childhood: no minutes rule, and no environment recorded.
    assert _where(result, early) == f"not counted: {cc.NO_ENVIRONMENT}"
    assert result.tally(cc.FS002, "disability") == {("SLD",): 1, ("HI",): 1}


def test_the_disability_is_the_one_decided_by_the_count_date(world) -> None:  # type: ignore[no-untyped-def]
    actor = world.users["director"]
    student = counted_student(world.north, actor, first="Re", born=date(2014, 2, 2))
    eligible(student, actor, "autism", on=date(2025, 10, 20))  # a reevaluation after the day
    assert _count(world).for_file(cc.FS002)[0].values["disability"] == "SLD"


def test_exiting_counts_14_to_21_by_basis_once_each(world) -> None:  # type: ignore[no-untyped-def]
    actor = world.users["director"]
    exited = {"status": PlanStatus.ENDED, "start": date(2024, 9, 1)}
    grad = counted_student(world.north, actor, first="Grad", born=date(2007, 1, 1), grade="12",
                           end=date(2026, 6, 5), exit_reason="GHS", exit_date=date(2026, 6, 5),
                           **exited)  # fmt: skip
    to_504 = counted_student(world.north, actor, first="Plan", born=date(2011, 9, 1), grade="9",
                             end=date(2025, 11, 3), exit_reason="NLE",
                             exit_date=date(2025, 11, 3), **exited)  # fmt: skip
    young = counted_student(world.north, actor, first="Young", born=date(2013, 1, 1), grade="7",
                            end=date(2025, 12, 1), exit_reason="MKC",
                            exit_date=date(2025, 12, 1), **exited)  # fmt: skip
    last_year = counted_student(world.north, actor, first="Last", born=date(2007, 1, 1),
                                end=date(2025, 6, 30), exit_reason="DROPOUT",
                                exit_date=date(2025, 6, 30), **exited)  # fmt: skip
    result = cc.exiting(world.riverside, Student.objects.all(), 2025)
    bases = {c.student_id: c.values["basis"] for c in result.counted}
    assert bases == {grad.pk: "GHS", to_504.pk: "TRAN"}  # no longer eligible is reported TRAN
    assert _where(result, young) == f"not counted: {cc.UNDER_14}"
    assert _where(result, last_year) == "absent"  # June 30 belongs to the year before


def test_default_dates(world) -> None:  # type: ignore[no-untyped-def]
    assert cc.first_wednesday_of_october(2026) == date(2026, 10, 7)
    assert cc.first_wednesday_of_october(2025) == date(2025, 10, 1)
    assert cc.default_count_date(world.riverside, date(2026, 12, 6)) == date(2026, 10, 7)
    assert cc.default_count_date(world.riverside, date(2026, 9, 1)) == date(2025, 10, 1)
    world.riverside.settings = {"child_count_day": "12-01"}
    assert cc.default_count_date(world.riverside, date(2026, 12, 6)) == date(2026, 12, 1)
    assert cc.default_exit_year(date(2026, 12, 6)) == 2025
    assert cc.default_exit_year(date(2026, 3, 1)) == 2024
