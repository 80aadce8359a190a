"""State profiles for the Medicaid export: procedure codes, modifiers, place of service, units.

Data, not code: each profile says which CPT code a discipline's session bills under, whether the
code is timed (15-minute units) or one unit per session, the modifiers, and which plans bill.
docs/services.md ("The Medicaid export") explains the fields and profiles, and its "Sources"
resolve the [S#] references; the items marked [K] (the research author's own knowledge,
unchecked) must be checked with the state's manual before a district files claims with them.

Two profiles:

* `federal`: the default. CPT as written: speech 92507 (individual) and 92508 (group) and group
  therapy 97150 are untimed, one unit per session [S40][S37][K]; OT 97530 and PT 97110 are timed
  [S37]; psychotherapy 90832 (16-37 minutes), 90834 (38-52), 90837 (53+) [S39], group 90853.
  Timed codes count 15-minute units by the CMS 8-minute rule (8-22 minutes = 1 unit, 23-37 = 2,
  38-52 = 3 ...) [S37], applied to the student's minutes of one code on one day: the export
  gives each session the units its minutes add to the day's total, so the day's lines add up to
  the rule's answer. Discipline modifiers GN/GO/GP (speech/OT/PT) [S27][K]; telehealth by live
  video 95 [S28]; place of service 03 school, 02 telehealth with the student not at home, 10
  telehealth at home [S38][K].
* `TX` (Texas SHARS, TMPPM 2.18 [S27]): the day's billable minutes for the student are added up
  and divided by 15, a remainder over 7 minutes adding a unit (68 min -> 5 units), and Texas pays
  speech 92507/92508 per 15 minutes too [S27]; the worked example (27 min individual + 20 min
  group -> 92507 x 2, 92508 x 1) is tests/services/test_medicaid.py's. Plan modifier TM on IEP
  services [K].

Not modelled yet (docs/services.md, "The Medicaid export"): the ordering/referring provider and
the referral's date (REF-1), diagnosis codes, state-defined U1-UD modifiers, daily maximum
units, and evaluation codes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType
from typing import Literal

# Disciplines as tandem.services.director names them (slp, ot, pt, counseling, psychology, ...).
SLP, OT, PT, COUNSELING, PSYCHOLOGY = "slp", "ot", "pt", "counseling", "psychology"

Units = Literal["timed", "session", "psychotherapy"]


@dataclass(frozen=True, slots=True)
class Procedure:
    code: str
    units: Units  # timed: 15-minute units; session: 1 per session; psychotherapy: by duration


@dataclass(frozen=True, slots=True)
class StateProfile:
    key: str
    label: str
    source: str
    effective: date
    # (discipline, group?) -> the procedure billed
    procedures: MappingProxyType[tuple[str, bool], Procedure]
    discipline_modifiers: MappingProxyType[str, str]
    iep_modifier: str = ""
    plan_kinds: frozenset[str] = frozenset({"iep", "section_504"})
    telehealth_modifier: str = "95"
    pos_school: str = "03"
    pos_telehealth: str = "02"  # the student is not at home (at school, with a facilitator)
    pos_telehealth_home: str = "10"
    unit_minutes: int = 15
    remainder_adds_unit_from: int = 8  # the 8-minute rule: a remainder of 8 or more adds a unit
    notes: tuple[str, ...] = field(default_factory=tuple)


def _procedures(**over: Procedure) -> MappingProxyType[tuple[str, bool], Procedure]:
    base = {
        (SLP, False): Procedure("92507", "session"),
        (SLP, True): Procedure("92508", "session"),
        (OT, False): Procedure("97530", "timed"),
        (OT, True): Procedure("97150", "session"),
        (PT, False): Procedure("97110", "timed"),
        (PT, True): Procedure("97150", "session"),
        (COUNSELING, False): Procedure("90832", "psychotherapy"),
        (COUNSELING, True): Procedure("90853", "session"),
        (PSYCHOLOGY, False): Procedure("90832", "psychotherapy"),
        (PSYCHOLOGY, True): Procedure("90853", "session"),
    }
    for name, procedure in over.items():
        discipline, _sep, group = name.rpartition("_")
        base[(discipline, group == "group")] = procedure
    return MappingProxyType(base)


_DISCIPLINE_MODIFIERS = MappingProxyType({SLP: "GN", OT: "GO", PT: "GP"})

FEDERAL = StateProfile(
    key="federal",
    label="Federal default (CPT, CMS 8-minute rule)",
    source="docs/services.md: [S37] 8-minute rule, [S39] psychotherapy, [S40] untimed codes",
    effective=date(2024, 1, 1),
    procedures=_procedures(),
    discipline_modifiers=_DISCIPLINE_MODIFIERS,
)

TEXAS = StateProfile(
    key="TX",
    label="Texas SHARS",
    source="TMPPM 2.18 SHARS (docs/services.md [S27]): day's minutes / 15, remainder > 7 adds 1",
    effective=date(2022, 10, 1),
    procedures=_procedures(
        slp_individual=Procedure("92507", "timed"),
        slp_group=Procedure("92508", "timed"),
    ),
    discipline_modifiers=_DISCIPLINE_MODIFIERS,
    iep_modifier="TM",  # [K] docs/services.md: "Plan modifier TM on IEP lines", unchecked
    notes=("TM on IEP lines is [K] in docs/services.md: check the SHARS modifier table.",),
)

PROFILES: MappingProxyType[str, StateProfile] = MappingProxyType(
    {FEDERAL.key: FEDERAL, TEXAS.key: TEXAS}
)


def profile_for(state: str | None) -> StateProfile:
    """The district's state's profile, or the federal default."""
    return PROFILES.get((state or "").upper(), FEDERAL)


# --- units ---------------------------------------------------------------------------------------


def timed_units(minutes: int, profile: StateProfile = FEDERAL) -> int:
    """15-minute units by the 8-minute rule: 7 -> 0, 8 -> 1, 22 -> 1, 23 -> 2, 68 -> 5."""
    if minutes <= 0:
        return 0
    whole, remainder = divmod(minutes, profile.unit_minutes)
    return whole + (1 if remainder >= profile.remainder_adds_unit_from else 0)


def psychotherapy_code(minutes: int) -> str | None:
    """90832 for 16-37 minutes, 90834 for 38-52, 90837 for 53 or more; None under 16 [S39]."""
    if minutes >= 53:
        return "90837"
    if minutes >= 38:
        return "90834"
    if minutes >= 16:
        return "90832"
    return None


@dataclass(frozen=True, slots=True)
class Billed:
    code: str
    units: int


def bill(
    procedure: Procedure, minutes: int, day_minutes_before: int, profile: StateProfile
) -> Billed:
    """The code and units of one session's minutes.

    `day_minutes_before`: the student's minutes of the same code earlier that day, so a timed
    code's units are the day's total by the rule, shared out in order (the lines add up).
    """
    if procedure.units == "session":
        return Billed(procedure.code, 1 if minutes > 0 else 0)
    if procedure.units == "psychotherapy":
        code = psychotherapy_code(minutes)
        return Billed(code or procedure.code, 1 if code else 0)
    before = timed_units(day_minutes_before, profile)
    return Billed(procedure.code, timed_units(day_minutes_before + minutes, profile) - before)
