"""Everything a parent reads aims at an 8th-grade reading level, in English and in Spanish.

Each parent-facing page (the portal's pages, the consent form, the signed copy, the rights page,
the invitation email, and other apps' family pages when they exist) is rendered with demo-like
data in both languages, reduced to its words, and measured with textstat:

- English: Flesch-Kincaid grade level at most 8 (syllables from NLTK's cmudict when installed,
  else pyphen's hyphenation, offline).
- Spanish: Fernández-Huerta at least 60 and Szigriszt-Pazos (INFLESZ) at least 55, the lower
  edge of "normal" on both scales (about 8th to 9th grade; 70+ is "easy").

Each block of a page (a heading, a list item, a table cell, a label) counts as one sentence, as a
reader meets it. Run with `-s` to print the table of figures. Before the Spanish catalog is
compiled, set PORTAL_ES_PREVIEW=1 to measure with /tmp/i18n/es_*.py merged in (a local preview).
"""

from __future__ import annotations

import contextlib
import glob
import os
import re
import runpy
from datetime import timedelta

import polib
import pytest
import textstat
from django.conf import settings as django_settings
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.html import strip_tags

from tandem.accounts.models import User
from tandem.plans.models import (
    Accommodation,
    Goal,
    GroupSize,
    Per,
    Plan,
    PlanKind,
    PlanStatus,
    Service,
)
from tandem.portal import actions
from tests.portal.conftest import make_consent

FK_MAX = 8.0
FERNANDEZ_HUERTA_MIN = 60.0
SZIGRISZT_PAZOS_MIN = 55.0
RESULTS: list[tuple[str, str, float, float | None]] = []

_BLOCK_END = re.compile(
    r"</(p|li|h[1-6]|td|th|dt|dd|caption|legend|label|button|figcaption|option)>",
    re.I,
)
_DROP = re.compile(r"<(svg|script|style|select)\b.*?</\1>", re.I | re.S)


def words_of(html: str) -> str:
    """The text a reader meets on the page's main content, one block per sentence."""
    main = re.search(r"<main\b.*?>(.*)</main>", html, re.S)
    body = main.group(1) if main else html
    body = _DROP.sub(" ", body)
    body = _BLOCK_END.sub(".\n", body)
    text = strip_tags(body)
    text = re.sub(r"(?<=[.:?!])\s*\.", "", text)  # a block already ending a sentence
    text = re.sub(r"\s*\.(\s*\.)+", ".", text)
    text = re.sub(r"^\s*\.\s*$", "", text, flags=re.M)
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture(autouse=True)
def offline_syllables(monkeypatch):
    """textstat counts English syllables with NLTK's cmudict, which it downloads on first use;
    the suite is offline, so without the corpus it counts with pyphen (hyphenation points),
    as it already does for any word the dictionary lacks."""
    import nltk

    try:
        nltk.data.find("corpora/cmudict")
    except LookupError:
        monkeypatch.setattr(
            "textstat.backend.counts._count_syllables.get_cmudict", lambda lang: None
        )


@pytest.fixture
def preview_catalog(settings, tmp_path):
    """With PORTAL_ES_PREVIEW set, the Spanish catalog plus /tmp/i18n/es_*.py (not compiled yet)."""
    if not os.environ.get("PORTAL_ES_PREVIEW"):
        return
    es, esp = {}, {}
    for path in sorted(glob.glob("/tmp/i18n/es_*.py")):
        values = runpy.run_path(path)
        es.update(values.get("ES", {}))
        esp.update(values.get("ES_PLURAL", {}))
    po = polib.pofile(str(django_settings.LOCALE_PATHS[0] / "es" / "LC_MESSAGES" / "django.po"))
    known = {(e.msgid, e.msgid_plural) for e in po}
    for e in po:
        if e.msgid_plural and (e.msgid, e.msgid_plural) in esp:
            e.msgstr_plural = dict(enumerate(esp[(e.msgid, e.msgid_plural)]))
        elif not e.msgstr and e.msgid in es:
            e.msgstr = es[e.msgid]
        if "fuzzy" in e.flags and (e.msgstr or e.msgstr_plural):
            e.flags.remove("fuzzy")
    for msgid, msgstr in es.items():
        if (msgid, "") not in known:
            po.append(polib.POEntry(msgid=msgid, msgstr=msgstr))
    for (one, many), (es_one, es_many) in esp.items():
        if (one, many) not in known:
            po.append(
                polib.POEntry(msgid=one, msgid_plural=many, msgstr_plural={0: es_one, 1: es_many})
            )
    target = tmp_path / "locale" / "es" / "LC_MESSAGES"
    target.mkdir(parents=True)
    po.save_as_mofile(str(target / "django.mo"))
    settings.LOCALE_PATHS = [tmp_path / "locale"]


@pytest.fixture
def family(world, calendar):
    """Maya's active IEP with services, help in class and goals; a consent waiting; a signed one."""
    cm = world.users["case_manager"]
    plan = Plan.objects.create(
        student=world.maya,
        kind=PlanKind.IEP,
        status=PlanStatus.ACTIVE,
        created_by=cm,
        effective_from=timezone.localdate() - timedelta(days=60),
        effective_to=timezone.localdate() + timedelta(days=300),
        annual_review_due=timezone.localdate() + timedelta(days=300),
    )
    Service.objects.create(
        plan=plan,
        category="related",
        name="Speech therapy",
        minutes=30,
        times=2,
        per=Per.WEEK,
        group_size=GroupSize.GROUP,
    )
    Service.objects.create(
        plan=plan,
        category="special_education",
        name="Reading help",
        minutes=45,
        times=4,
        per=Per.WEEK,
        group_size=GroupSize.INDIVIDUAL,
    )
    Accommodation.objects.create(
        plan=plan,
        category="timing_scheduling",
        text="Extra time on tests.",
        applies_to=["classroom", "tests"],
    )
    Accommodation.objects.create(
        plan=plan, category="setting", text="A seat near the teacher.", applies_to=["classroom"]
    )
    Goal.objects.create(
        plan=plan,
        area="Reading",
        text="By June, Maya will read 90 words a minute with 95% accuracy in 4 of 5 weekly probes.",
    )
    pending = make_consent(world)
    done = make_consent(world)
    signature = actions.sign_consent(
        actor=world.users["parent"],
        consent=done,
        decision="partial",
        parts_given=["reading"],
        typed_name="Grace Lopez",
        language="en",
    )
    return {"plan": plan, "consent": pending, "signature": signature}


def _pages(world, family):
    maya = world.maya
    pages = [
        ("portal/home.html", "parent", reverse("portal_home")),
        ("portal/child.html", "parent", reverse("portal_child", args=[maya.public_id])),
        (
            "portal/sign.html (consent form)",
            "parent",
            reverse("portal_sign", args=[family["consent"].public_id]),
        ),
        (
            "portal/signed.html",
            "parent",
            reverse("portal_signed", args=[family["signature"].public_id]),
        ),
        ("portal/safeguards.html", "parent", reverse("portal_safeguards")),
        ("portal/not_rights_holder.html", "uncle", reverse("portal_child", args=[maya.public_id])),
    ]
    meeting = _meeting(world)
    if meeting is not None:
        pages.append(
            (
                "meetings: meeting_respond",
                "parent",
                reverse("meeting_respond", args=[meeting.public_id]),
            )
        )
    report = _report(world)
    if report is not None:
        pages.append(
            ("reports: report_detail", "parent", reverse("report_detail", args=[report.public_id]))
        )
    # Other apps' family pages, when they exist.
    for label, name, args in (
        ("revisions: revision_new", "revision_new", [maya.public_id]),
        ("communication: message_thread", "message_thread", [maya.public_id]),
    ):
        with contextlib.suppress(NoReverseMatch):
            pages.append((label, "parent", reverse(name, args=args)))
    return pages


def _first_meeting(world):
    try:
        from tandem.meetings.models import Meeting
    except ImportError:
        return None
    return Meeting.objects.filter(student=world.maya).first()


def _meeting(world):
    """An upcoming IEP meeting with Maya's mother invited, if the meetings app exists."""
    try:
        from tandem.meetings.models import Meeting, MeetingInvitee
    except ImportError:
        return None
    from tandem.people.models import Guardian

    start = timezone.now() + timedelta(days=14)
    meeting = Meeting.objects.create(
        student=world.maya,
        kind="annual_review",
        purpose="Review Maya's IEP and write next year's goals.",
        status="scheduled",
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        place_details="North Elementary, room 12",
        created_by=world.users["case_manager"],
    )
    MeetingInvitee.objects.create(
        meeting=meeting,
        guardian=Guardian.objects.get(user=world.users["parent"]),
        role="parent",
        required=True,
    )
    return meeting


def _report(world):
    """An issued progress report for Maya, if the reports app can make one here."""
    try:
        from tandem.reports.actions import draft_report, issue_report
    except ImportError:
        return None
    from tandem.reports.schedule import Period

    today = timezone.localdate()
    period = Period(
        label="Fall", start=today - timedelta(days=50), end=today - timedelta(days=1), due=today
    )
    try:
        report = draft_report(actor=world.users["director"], student=world.maya, period=period)
        return issue_report(actor=world.users["director"], report=report)
    except Exception:  # noqa: BLE001 - no marking period or data in this small world
        return None


def _meeting_notice(meeting, language: str) -> str | None:
    try:
        from tandem.meetings.notices import notice_html
    except ImportError:
        return None
    return notice_html(meeting, language)


def _measure(label: str, language: str, text: str) -> None:
    if language == "en":
        textstat.set_lang("en_US")
        grade = textstat.flesch_kincaid_grade(text)
        RESULTS.append((label, "en", grade, None))
        assert grade <= FK_MAX, f"{label} (en): Flesch-Kincaid grade {grade} > {FK_MAX}\n{text}"
    else:
        textstat.set_lang("es")
        fh = textstat.fernandez_huerta(text)
        sp = textstat.szigriszt_pazos(text)
        textstat.set_lang("en_US")
        RESULTS.append((label, "es", fh, sp))
        assert fh >= FERNANDEZ_HUERTA_MIN, f"{label} (es): Fernández-Huerta {fh}\n{text}"
        assert sp >= SZIGRISZT_PAZOS_MIN, f"{label} (es): Szigriszt-Pazos {sp}\n{text}"


@pytest.mark.parametrize("language", ["en", "es"])
def test_parent_pages_read_at_8th_grade(world, family, preview_catalog, language):
    for persona in ("parent", "uncle"):
        user = User.objects.get(pk=world.users[persona].pk)
        user.preferred_language = language
        user.save()
    clients = {p: world.client_for(p) for p in ("parent", "uncle")}
    for label, persona, url in _pages(world, family):
        response = clients[persona].get(url)
        assert response.status_code in (200, 403), (label, response.status_code)
        _measure(label, language, words_of(response.content.decode()))
    meeting = _first_meeting(world)
    if meeting is not None:
        notice = _meeting_notice(meeting, language)
        if notice:
            _measure("meetings: notice (PDF HTML)", language, words_of(notice))
    with translation.override(language):
        email = render_to_string(
            "portal/email/invitation.txt",
            {"user": world.users["parent"], "link": "https://tandem.example/password-reset/x/y/"},
        )
    _measure("portal/email/invitation.txt", language, re.sub(r"https?://\S+", "", email))
    _print_table(language)


def _print_table(language: str) -> None:
    rows = [r for r in RESULTS if r[1] == language]
    if language == "en":
        print(f"\n{'template':45} lang  Flesch-Kincaid grade (<= {FK_MAX:g})")
        for label, _, grade, _ in rows:
            print(f"{label:45} en    {grade:5.1f}")
    else:
        print(
            f"\n{'template':45} lang  Fernández-Huerta (>= {FERNANDEZ_HUERTA_MIN:g})  "
            f"Szigriszt-Pazos (>= {SZIGRISZT_PAZOS_MIN:g})"
        )
        for label, _, fh, sp in rows:
            print(f"{label:45} es    {fh:5.1f}                   {sp:5.1f}")
