"""The generated persona matrix: every route and API operation, as every persona, on every object.

Nobody writes a test here for a new route. The routes come from the URL configuration (every
pattern, recursively, Django's admin aside) and the operations from the API's OpenAPI document;
each path parameter is filled from the table below with an object of Maya (the personas' own
student), Leo (same school, another family), Ana (another school of the district) or Tess
(another district), built by `route_world.py`. Every persona then asks:

- GET: a student out of the persona's reach (the policy's decision has no READ) answers 404
  (an anonymous visitor is sent to sign in: 302; the API says 401), never 200; and no page
  that answers 200 names a student out of reach (their public id or name).
- POST (an empty form: harmless, it fails validation): out of reach, 404 as above; in reach
  without the capability the view declares (`@writes`, tandem.access.routes), 403; with it,
  anything but 403 (a form error, a redirect). A refused request writes nothing: every table's
  row count is the same after it, and the audit log gained only refusals and reads.
- The API: the same with a bearer token per persona; a POST sends a body filled from the
  operation's schema, so that access, not validation, decides.

Each request runs in a savepoint rolled back afterwards, so one persona's successful write never
changes what the next one sees. A route whose parameters cannot be filled must be listed in
SKIP with why: a new route that is neither fillable nor listed fails
`test_every_route_is_filled_or_skipped`.

Deviations the matrix finds today are listed in KNOWN_GAPS (route, persona, why) so that the
suite stays green while they are fixed; an entry that no longer happens fails the test, so the
list only shrinks.
"""

from __future__ import annotations

import json
import logging
import re
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from unittest import mock

import pytest
from django.db import connection, transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from tandem.access.capabilities import Cap
from tandem.access.policy import decision_for, standing
from tandem.access.routes import Scope, declared
from tandem.accounts.models import AuditEvent
from tests.access import route_world
from tests.access.route_world import TARGETS, RouteWorld

PERSONAS = (
    "anonymous",
    "director",  # district leader (Riverside)
    "principal",  # school leader (North)
    "case_manager",  # Maya's case manager
    "teacher",  # Maya's and Leo's class teacher
    "psych",  # district-wide evaluator, on Maya's team
    "slp",  # speech-language pathologist on Maya's team, serving her
    "coordinator",  # North's 504 coordinator, on Leo's team
    "contractor",  # an agency's occupational therapist serving Maya (and Sam, Oak Valley)
    "stranger",  # a case manager at North with no tie to anyone
    "oak_director",  # district leader of Oak Valley: another district
    "parent",  # Maya's mother, holds educational rights
    "uncle",  # Maya's uncle, a guardian without educational rights
)

# --- filling path parameters --------------------------------------------------------------

# A path parameter's name -> the kind of object it names (route_world's bundle keys).
PARAM_KINDS = {
    "public_id": "student",
    "student_id": "student",
    "guardian_id": "guardian",
    "referral_id": "referral",
    "notice_id": "notice",
    "consent_id": "consent",
    "evidence_id": "evidence",
    "assessment_id": "assessment",
    "deadline_id": "deadline",
    "plan_id": "plan",
    "number": "version",
    "key": "section",
    "goal_id": "goal",
    "point_id": "point",
    "report_id": "report",
    "meeting_id": "meeting",
    "revision_id": "revision",
    "signature_id": "signature",
    "session_id": "session",
    "log_id": "supervision_log",
    "template_id": "template",
    "batch_id": "batch",
    "staff_id": "staff",
    "token_id": "token",
    "import_id": "roster_import",
    "contract_id": "contract",
    "translation_id": "translation",
    "request_id": "records_request",
    "proposal_id": "destruction_proposal",
    "hold_id": "records_hold",
    "contact_id": "contact",
}
# Where a route's parameter names something else than its name says.
ROUTE_PARAM_KINDS = {
    ("two_factor_reset", "public_id"): "staff",
    ("two_factor_district", "public_id"): "district",
    ("service_settings", "public_id"): "district",
    ("retention_settings", "public_id"): "district",
    ("implementation_provided", "public_id"): "accommodation",
    ("plan_service_edit", "item_id"): "service",
    ("plan_service_remove", "item_id"): "service",
    ("plan_accommodation_edit", "item_id"): "accommodation",
    ("plan_accommodation_remove", "item_id"): "accommodation",
    ("class_sheet", "public_id"): "class",
    # The district's federal counts (IDEA section 618): the district itself.
    ("federal_child_count", "district_id"): "district",
    ("federal_child_count_csv", "district_id"): "district",
    ("federal_exiting", "district_id"): "district",
    ("federal_exiting_csv", "district_id"): "district",
    ("federal_students", "district_id"): "district",
    # The district's Ed-Fi export (tandem/interop/views_export.py): the district itself.
    ("edfi_export", "district_id"): "district",
}
# Kinds that belong to a district, not a student: filled with Riverside's and Oak Valley's.
DISTRICT_KINDS = frozenset(
    {
        "staff",
        "district",
        "template",
        "batch",
        "class",
        "token",
        "roster_import",
        "contract",
        "supervision_log",
    }
)
# Routes under a plan's editor (and its goals) work on a draft: they are filled with the draft's.
DRAFT_ROUTE = re.compile(r"^plans/<[^>]+>/(edit|goals)/")

# Routes not visited, each with why.
SKIP = {
    # Django's password reset confirmation: its parameters are a signed user id and a one-time
    # token, and it reads no student's record.
    "password_reset_confirm": "a signed one-time token, no student's record",
    # A parent's signed link to answer their own meeting invitation: no sign-in, one page;
    # forged, expired and revoked links are tested in tests/meetings/test_answer_link.py.
    "meeting_answer_link": "a signed link to one parent's invitation, tested on its own",
}
# Routes only read (GET), never posted to: posting would end the persona's session or is Django's
# own sign-in, which writes no student's record.
NO_POST = {"login", "logout", "password_reset", "password_reset_confirm", "two_factor_verify"}

# POST routes not yet declared with `@writes` (referrals: another change converts them): what
# the capability matrix says each needs.
PENDING_NEEDS: dict[str, Cap] = {
    "referral_new": Cap.START_REFERRAL,
    "case_review": Cap.RUN_EVALUATION,
    "notice_new": Cap.RUN_EVALUATION,
    "consent_request": Cap.RUN_EVALUATION,
    "consent_response": Cap.RUN_EVALUATION,
    "assessment_plan": Cap.RUN_EVALUATION,
    "assessment_complete": Cap.RECORD_ASSESSMENT,
    "evaluation_report": Cap.RUN_EVALUATION,
    "reevaluation_new": Cap.RUN_EVALUATION,
    "reevaluation_waiver": Cap.RUN_EVALUATION,
    "consent_attempts": Cap.RUN_EVALUATION,
}
# Views that accept a POST but change no student's record and declare nothing (Django's own).
UNDECLARED_OK = {"set_language", "login", "logout", "password_reset", "password_reset_confirm"}

# Writes that belong to one person among the holders of the capability (the gatekeeper's
# `owner=`): a holder who is not that person is refused with 403, which is right.
OWNER_ROUTES = {
    "assessment_reopen": "the assessment's evaluator, or who runs the evaluation",
    "assessment_complete": "the assessment's evaluator, or who runs the evaluation",
    "point_void": "the data point's recorder, or who manages the team",
    "point_correct": "the data point's recorder, or who manages the team",
    "void_data_point": "the data point's recorder, or who manages the team",
    "correct_data_point": "the data point's recorder, or who manages the team",
    "revision_detail": "the person the request is routed to answers it",
    "revision_meeting": "the person the request is routed to answers it",
    "revision_amend": "the person the request is routed to answers it, if they also write plans",
    "follow_up_done": "the follow-up's owner marks it done, or a leader",
}

# The family portal tells a relative on file without educational rights so, plainly (403, the
# page portal/not_rights_holder.html): he knows the child exists, so the 403 reveals nothing.
ON_FILE_WITHOUT_RIGHTS = "uncle on portal_* routes of Maya"

# What the matrix finds today that the policy says should not happen: (route, persona, target)
# -> why it is allowed to stand for now. Remove an entry when its fix lands (a stale entry fails).
# (Empty since the referrals moved from the first policy's Need.WRITE to capabilities: before,
# a provider and a speech-language pathologist could post case reviews, notices, consents,
# assessment plans and reevaluations.)
KNOWN_GAPS: dict[tuple[str, str, str], str] = {}


# --- the routes -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    name: str
    path: str  # the pattern, e.g. "plans/<uuid:plan_id>/edit/"
    view: Callable[..., Any]
    params: tuple[str, ...]

    @property
    def need(self) -> Cap | Scope | None:
        return declared(self.view) or PENDING_NEEDS.get(self.name)


PARAM = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")


def _patterns(resolver: Any = None, prefix: str = "") -> Iterator[tuple[str, URLPattern]]:
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if getattr(entry, "app_name", None) == "admin":
                continue  # Django's admin: staff only, its own permissions
            yield from _patterns(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry


def _is_api(pattern: URLPattern) -> bool:
    view = getattr(pattern.callback, "func", pattern.callback)
    return getattr(view, "__module__", "").startswith("ninja.operation")


def page_routes() -> list[Route]:
    """Every page route of the URL configuration (the API's operations are visited apart)."""
    routes = []
    for path, pattern in _patterns():
        if _is_api(pattern):
            continue
        params = tuple(m["name"] for m in PARAM.finditer(path))
        routes.append(Route(pattern.name or path, path, pattern.callback, params))
    return routes


def kind_of(route_name: str, param: str) -> str | None:
    return ROUTE_PARAM_KINDS.get((route_name, param)) or PARAM_KINDS.get(param)


def unfillable(route: Route) -> list[str]:
    return [p for p in route.params if kind_of(route.name, p) is None]


def _value(kind: str, obj: Any) -> str:
    if kind == "version":
        return str(obj.number)
    if kind == "section":
        return str(obj.key)
    if kind == "token":
        return str(obj.pk)  # tokens are named by number on the owner's own page
    return str(obj.public_id)


def fill(path: str, route_name: str, objects: dict[str, Any], *, draft: bool = False) -> str:
    """The path with each parameter replaced by the matching object of `objects`."""

    def one(match: re.Match[str]) -> str:
        kind = kind_of(route_name, match["name"])
        assert kind is not None
        key = f"draft_{kind}" if draft and f"draft_{kind}" in objects else kind
        if draft and kind == "plan":
            key = "draft"
        return _value(kind, objects[key])

    return "/" + PARAM.sub(one, path).lstrip("/")


# --- what was written ------------------------------------------------------------------------

# Audit codes a refused request may leave: the refusal itself, and reads made before it.
READ_CODES = re.compile(r"^access\.|\.(viewed|downloaded|printed|exported)$|_viewed$")


class Ledger:
    """Row counts of every table but the audit log's, in one query, to prove nothing was written."""

    def __init__(self) -> None:
        tables = [
            t
            for t in connection.introspection.table_names()
            if "audit" not in t and t != "django_session"
        ]
        quote = connection.ops.quote_name
        self.tables = tables
        self.sql = "SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {quote(t)})" for t in tables)
        self.last_audit = 0

    def counts(self) -> tuple[int, ...]:
        with connection.cursor() as cursor:
            cursor.execute(self.sql)
            return tuple(cursor.fetchone())

    def audit_mark(self) -> int:
        last = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first()
        return last or 0

    def written(self, before: tuple[int, ...] | None, mark: int) -> list[str]:
        changed = []
        if before is not None:  # a GET is checked by the audit log alone (every write is audited)
            after = self.counts()
            changed = [t for t, a, b in zip(self.tables, before, after, strict=True) if a != b]
        actions = AuditEvent.objects.filter(pk__gt=mark).values_list("action", flat=True)
        changed += [f"audit:{a}" for a in actions if not READ_CODES.search(a)]
        return changed


# --- asking -----------------------------------------------------------------------------------


@dataclass
class Run:
    rw: RouteWorld
    ledger: Ledger
    clients: dict[str, Client]
    failures: list[str] = field(default_factory=list)
    gaps_seen: set[tuple[str, str, str]] = field(default_factory=set)
    requests: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    answered: dict[str, set[int]] = field(default_factory=dict)
    # Routes some signed-in persona was let into (answered neither 403, 404 nor 405): a POST
    # that did its work and redirected (302) counts.
    admitted: set[str] = field(default_factory=set)
    reach_cache: dict[tuple[str, str], frozenset[Cap]] = field(default_factory=dict)
    # In reach without the capability, answered 404 rather than 403 (reported, not a failure).
    hidden: set[str] = field(default_factory=set)

    def caps(self, persona: str, target: str) -> frozenset[Cap]:
        key = (persona, target)
        if key not in self.reach_cache:
            if persona == "anonymous":
                self.reach_cache[key] = frozenset()
            else:
                user = self.rw.users[persona]
                student = self.rw.bundles[target].student
                self.reach_cache[key] = decision_for(user, student).caps
        return self.reach_cache[key]

    def unreachable_markers(self, persona: str) -> list[str]:
        markers = []
        for target in (*TARGETS, "sam"):
            student = getattr(self.rw.world, target)
            if persona != "anonymous" and Cap.READ in (
                self.caps(persona, target)
                if target in TARGETS
                else decision_for(self.rw.users[persona], student).caps
            ):
                continue
            first, last = student.legal_first_name, student.legal_last_name
            markers += [str(student.public_id), f"{first} {last}", f"{last}, {first}"]
        return markers

    def fail(self, route: str, persona: str, target: str, message: str) -> None:
        key = (route, persona, target)
        if key in KNOWN_GAPS:
            self.gaps_seen.add(key)
            return
        self.failures.append(f"{route} as {persona} on {target}: {message}")

    def ask(
        self, persona: str, method: str, url: str, *, api: bool = False, body: Any = None
    ) -> tuple[int, bytes, str, list[str]]:
        """One request in a savepoint rolled back afterwards: status, body, type, what it wrote."""
        client = self.clients[persona]
        headers = {}
        if api and persona != "anonymous":
            headers["Authorization"] = f"Bearer {self.rw.world.tokens[persona]}"  # type: ignore[attr-defined]
        with transaction.atomic():
            before = None if method == "get" else self.ledger.counts()
            mark = self.ledger.audit_mark()
            if method == "get":
                response = client.get(url, headers=headers)
            elif api:  # a POST or a PATCH, with a JSON body
                response = client.generic(
                    method.upper(),
                    url,
                    json.dumps(body or {}),
                    content_type="application/json",
                    headers=headers,
                )
            else:
                response = client.post(url, {}, headers=headers)
            written = self.ledger.written(before, mark)
            transaction.set_rollback(True)
        self.requests += 1
        self.statuses[response.status_code] += 1
        content = b"" if response.streaming else response.content
        return response.status_code, content, response.get("Content-Type", ""), written

    def check_leak(
        self, label: str, persona: str, target: str, content: bytes, content_type: str
    ) -> None:
        if not content_type.startswith(("text/", "application/json")):
            return
        text = content.decode("utf-8", "replace")
        for marker in self.unreachable_markers(persona):
            if marker in text:
                self.fail(
                    label, persona, target, f"the answer names a student out of reach ({marker})"
                )
                return


def _refused(status: int, *, anonymous: bool, api: bool) -> set[int]:
    if anonymous:
        return {401} if api else {302, 401}
    return {404}


def visit(run: Run, label: str, path_for: Callable[[str], str], route_need: Any, *,
          targets: tuple[str, ...], method: str, api: bool = False, body: Any = None,
          district: bool = False, owner: Callable[[str], Any] | None = None,
          turn: int = 0) -> None:  # fmt: skip
    """Ask `label` as every persona, and check each answer against the policy.

    Targets on which a persona stands the same (the same capabilities, e.g. out of reach of
    Leo, Ana and Tess alike) would answer alike: one of them is asked, in turn from route to
    route, so that over the routes every persona meets every target and the run stays short.
    """
    for persona in PERSONAS:
        anonymous = persona == "anonymous"
        groups: dict[frozenset[Cap], list[str]] = {}
        for target in targets:
            if district:
                reach = not anonymous and _in_district(run, persona, target)
                key: frozenset[Cap] = frozenset({Cap.READ}) if reach else frozenset()
            else:
                key = run.caps(persona, target)
            groups.setdefault(key, []).append(target)
        for group in groups.values():
            target = group[turn % len(group)]
            url = path_for(target)
            status, content, content_type, written = run.ask(
                persona, method, url, api=api, body=body
            )
            run.answered.setdefault(f"{method} {label}", set()).add(status)
            if not anonymous and status < 500 and status not in {403, 404, 405}:
                run.admitted.add(label)
            if status >= 500:
                run.fail(label, persona, target, f"{method.upper()} answered {status}")
                continue
            caps = next(k for k, g in groups.items() if target in g)
            refusal = _refused(status, anonymous=anonymous, api=api)
            if status == 200 and method == "get":
                run.check_leak(label, persona, target, content, content_type)
            if Cap.READ not in caps:
                # Out of reach: the same answer as a record that does not exist.
                ok = refusal | ({405} if method == "get" else set())
                if persona == "uncle" and label.startswith("portal_"):
                    ok |= {403}  # ON_FILE_WITHOUT_RIGHTS
                if status not in ok:
                    run.fail(
                        label, persona, target, f"{method.upper()} out of reach answered {status}"
                    )
                elif written:
                    run.fail(label, persona, target, f"refused but wrote {written}")
                continue
            if method == "get":
                continue
            need = route_need
            if isinstance(need, Cap):
                if need not in caps:
                    if status == 404:
                        run.hidden.add(f"{label} as {persona}")
                    if status not in {403, 404}:
                        run.fail(label, persona, target, f"POST without {need} answered {status}")
                    elif written:
                        run.fail(label, persona, target, f"refused but wrote {written}")
                elif status == 403 and label not in OWNER_ROUTES:
                    run.fail(label, persona, target, f"POST with {need} refused (403)")
            elif need == Scope.SELF and owner is not None:
                # One's own things: somebody else's is refused, and nothing is written.
                mine = run.rw.users[persona] == owner(target)
                if not mine and (status not in {403, 404} or written):
                    run.fail(label, persona, target, f"POST on another's: {status}, {written}")
            elif need == Scope.DISTRICT:
                leader = _leader(run, persona)
                if not leader and status not in {200, 400, 403, 404}:
                    run.fail(label, persona, target, f"POST by a non-leader answered {status}")
                elif not leader and written:
                    run.fail(label, persona, target, f"refused but wrote {written}")


def _leader(run: Run, persona: str) -> bool:
    if persona == "anonymous":
        return False
    s = standing(run.rw.users[persona])
    return bool(s.admin_district_ids or s.admin_school_ids)


def _in_district(run: Run, persona: str, target: str) -> bool:
    """Whether the persona has any standing in the district of a district-owned object."""
    district = run.rw.district_objects[target]["district"]
    user = run.rw.users[persona]
    s = standing(user)
    if district.pk in s.admin_district_ids | s.evaluator_district_ids:
        return True
    if s.staff_id is not None:
        return bool(district.staff_roles.filter(staff_id=s.staff_id).exists())
    return False


# --- fixtures ---------------------------------------------------------------------------------


class _FakePdf:
    """Rendering a PDF takes seconds; the matrix is about who gets it, not what it looks like."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        pass

    def write_pdf(self, *args: Any, **kwargs: Any) -> bytes:
        return b"%PDF-1.7 route matrix"


@pytest.fixture
def rw(world, settings, tmp_path) -> Iterator[RouteWorld]:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path
    built = route_world.build(world)
    from tandem.api.tokens import issue_token

    world.tokens = {
        p: issue_token(actor=None, user=world.users[p]) for p in PERSONAS if p != "anonymous"
    }
    # Thousands of 403s and 404s are the point here, not news: keep the log quiet.
    quiet = logging.getLogger("django.request"), logging.getLogger("django.security")
    levels = [logger.level for logger in quiet]
    for logger in quiet:
        logger.setLevel(logging.CRITICAL)
    yield built
    for logger, level in zip(quiet, levels, strict=True):
        logger.setLevel(level)


def _clients(rw: RouteWorld) -> dict[str, Client]:
    clients = {}
    for persona in PERSONAS:
        client = Client(raise_request_exception=False)
        if persona != "anonymous":
            client.force_login(rw.users[persona])
        clients[persona] = client
    return clients


def _report(run: Run, started: float, what: str) -> None:
    seconds = time.perf_counter() - started
    print(f"\n{what}: {run.requests} requests in {seconds:.1f} s; statuses {dict(run.statuses)}")
    if run.hidden:
        print("in reach without the capability, answered 404 (not 403):", sorted(run.hidden))
    stale = {k for k in KNOWN_GAPS if k[0] in {a.split(" ", 1)[1] for a in run.answered}}
    stale -= run.gaps_seen
    failures = run.failures + [f"fixed, remove from KNOWN_GAPS: {k}" for k in sorted(stale)]
    assert failures == [], "\n".join(failures)


# --- the tests --------------------------------------------------------------------------------


def test_every_route_is_filled_or_skipped() -> None:
    """A new route's parameters must be in the table, or the route in SKIP with why."""
    missing = [
        f"{r.path} ({r.name}): {unfillable(r)}"
        for r in page_routes()
        if unfillable(r) and r.name not in SKIP
    ]
    assert missing == []
    names = {r.name for r in page_routes()}
    assert set(SKIP) <= names, f"SKIP names routes that no longer exist: {set(SKIP) - names}"


def test_every_post_route_knows_what_it_needs() -> None:
    """Each route that takes a POST declares its need, or is one of Django's own."""
    from tests.access.test_matrix import accepts_post

    missing = [
        r.name
        for r in page_routes()
        if accepts_post(r.view) and r.need is None and r.name not in UNDECLARED_OK
    ]
    assert missing == []


@pytest.mark.django_db
def test_pages_as_every_persona(rw: RouteWorld) -> None:
    from tests.access.test_matrix import _methods, accepts_post

    started = time.perf_counter()
    run = Run(rw=rw, ledger=Ledger(), clients=_clients(rw))
    # A route the table cannot fill fails test_every_route_is_filled_or_skipped, not this one.
    routes = [r for r in page_routes() if r.name not in SKIP and not unfillable(r)]
    with mock.patch("weasyprint.HTML", _FakePdf):
        for turn, route in enumerate(routes):
            kinds = {kind_of(route.name, p) for p in route.params}
            district = bool(kinds & DISTRICT_KINDS)
            draft = bool(DRAFT_ROUTE.match(route.path))
            if not route.params:
                targets: tuple[str, ...] = ("none",)
            else:
                targets = ("riverside", "oak") if district else TARGETS

            def path_for(target: str, route: Route = route, draft: bool = draft) -> str:
                if target == "none":
                    return "/" + route.path
                if target in ("riverside", "oak"):
                    objects = rw.district_objects[target]
                else:
                    objects = rw.bundles[target].objects
                return fill(route.path, route.name, objects, draft=draft)

            methods = (
                [] if _methods(getattr(route.view, "func", route.view)) == {"POST"} else ["get"]
            )
            if accepts_post(route.view) and route.name not in NO_POST:
                methods.append("post")
            for method in methods:
                if targets == ("none",):
                    _visit_listing(run, route, method)
                else:
                    visit(
                        run, route.name, path_for, route.need,
                        targets=targets, method=method, district=district,
                        owner=_owner_for(rw, kinds), turn=turn,
                    )  # fmt: skip
    # Every filled route let some signed-in persona in: the table fills it with objects that
    # exist.
    never = [
        r.name
        for r in routes
        if r.params and r.name not in run.admitted and r.name not in _ALWAYS_NOT_FOUND
    ]
    run.failures += [f"{name}: nobody was ever let in (a wrong fill?)" for name in never]
    _report(run, started, f"{len(routes)} routes")


def _owner_for(rw: RouteWorld, kinds: set[str | None]) -> Callable[[str], Any] | None:
    """For a route on a person's own district-level thing (a goal template, an API token): its
    owner."""
    if "template" in kinds:
        return lambda target: rw.district_objects[target]["template"].owner
    if "token" in kinds:
        return lambda target: rw.district_objects[target]["token"].user
    if "supervision_log" in kinds:  # only the supervisor who recorded it may set it aside
        return lambda target: rw.district_objects[target]["supervision_log"].supervisor.user
    return None


# Routes no persona of the world may open (each with why), so "nobody was let in" is right.
_ALWAYS_NOT_FOUND: dict[str, str] = {
    "two_factor_reset": "only staff who enrolled an authenticator app can be reset",
    "two_factor_district": "TWO_FACTOR_FOR_ADMINS is off in tests",
    "consent_document": "the consent has no uploaded document",
    "eligibility_notice": "the referral has no eligibility decision yet",
    "eligibility_notice_pdf": "the referral has no eligibility decision yet",
    "eligibility_notice_sent": "the referral has no eligibility decision yet",
    "meeting_minutes_pdf": "the meeting has not been held",
    "portal_signature_pdf": "the signature has no signed PDF stored",
    "portal_open": "it opens the document named by ?url=, which the matrix does not give",
}


def _visit_listing(run: Run, route: Route, method: str) -> None:
    """A route without parameters: it answers, names nobody out of reach, and writes nothing
    for whoever holds its capability on no student."""
    url = "/" + route.path
    for persona in PERSONAS:
        status, content, content_type, written = run.ask(persona, method, url)
        run.answered.setdefault(f"{method} {route.name}", set()).add(status)
        if status >= 500:
            run.fail(route.name, persona, "-", f"{method.upper()} answered {status}")
            continue
        if status == 200 and method == "get":
            run.check_leak(route.name, persona, "-", content, content_type)
        if method != "post" or route.name in UNDECLARED_OK:
            continue
        need = route.need
        if persona == "anonymous":
            if status not in {302, 401} or written:
                run.fail(route.name, persona, "-", f"POST answered {status}, wrote {written}")
        elif need == Scope.DISTRICT and not _leader(run, persona):
            # Refused, or shown the form again with nothing to choose (report_batch_new): never
            # a success, never a write.
            if status not in {200, 400, 403, 404} or written:
                run.fail(route.name, persona, "-", f"POST by a non-leader: {status}, {written}")
        elif isinstance(need, Cap) and written:
            from tandem.access.policy import students_with

            if not students_with(run.rw.users[persona], need).exists():
                run.fail(route.name, persona, "-", f"POST without {need} anywhere wrote {written}")


# --- the API ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Operation:
    method: str
    path: str  # "/api/v1/goals/{goal_id}/data-points"
    name: str
    view: Callable[..., Any]
    body: dict[str, Any] | None


def _example(schema: dict[str, Any], components: dict[str, Any]) -> Any:
    """A value that satisfies `schema`: the body of a POST, so that access, not validation,
    decides the answer."""
    if "$ref" in schema:
        return _example(components[schema["$ref"].rsplit("/", 1)[1]], components)
    for key in ("anyOf", "allOf", "oneOf"):
        if key in schema:
            return _example(schema[key][0], components)
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    if kind == "object":
        props = schema.get("properties", {})
        return {k: _example(props[k], components) for k in schema.get("required", [])}
    if kind == "string":
        if schema.get("format") == "date":
            return route_world.day(-1).isoformat()
        if schema.get("format") == "uuid":  # well formed, naming nothing
            return "00000000-0000-4000-8000-000000000000"
        return "Route matrix"
    if kind in ("number", "integer"):
        return 1
    if kind == "boolean":
        return False
    if kind == "array":
        return []
    return None


def api_operations() -> list[Operation]:
    """Every operation of the OpenAPI document, with its view from the API's routers."""
    from tandem.api.api import api

    schema = api.get_openapi_schema()
    components = schema.get("components", {}).get("schemas", {})
    views = {}
    for prefix, router in api._routers:
        for path, path_view in router.path_operations.items():
            for operation in path_view.operations:
                for method in operation.methods:
                    views[(method.lower(), (prefix + path).rstrip("/"))] = operation.view_func
    out = []
    for path, methods in schema["paths"].items():
        for method, spec in methods.items():
            short = re.sub(r"^/api/v\d+", "", path).rstrip("/")
            view = views[(method, short)]
            body = None
            content = spec.get("requestBody", {}).get("content", {})
            if "application/json" in content:
                body = _example(content["application/json"]["schema"], components)
            out.append(Operation(method, path, view.__name__, view, body))
    return out


def test_every_api_operation_is_filled() -> None:
    from tandem.api.api import api

    operations = api_operations()
    in_routers = sum(
        len(op.methods)
        for _, router in api._routers
        for view in router.path_operations.values()
        for op in view.operations
    )
    assert len(operations) == in_routers  # the document and the routers agree
    missing = [
        f"{op.method} {op.path}"
        for op in operations
        for name in re.findall(r"{(\w+)}", op.path)
        if name not in PARAM_KINDS
    ]
    assert missing == []


@pytest.mark.django_db
def test_api_as_every_persona(rw: RouteWorld) -> None:
    started = time.perf_counter()
    run = Run(
        rw=rw, ledger=Ledger(), clients={p: Client(raise_request_exception=False) for p in PERSONAS}
    )
    operations = api_operations()
    for op in operations:
        names = re.findall(r"{(\w+)}", op.path)

        # A member of staff belongs to a district, not a student: Riverside's and Oak Valley's.
        district = any(PARAM_KINDS[name] in DISTRICT_KINDS for name in names)

        def path_for(target: str, op: Operation = op, district: bool = district) -> str:
            objects = rw.district_objects[target] if district else rw.bundles[target].objects
            return re.sub(
                r"{(\w+)}",
                lambda m: _value(PARAM_KINDS[m[1]], objects[PARAM_KINDS[m[1]]]),
                op.path,
            )

        if not names:
            for persona in PERSONAS:
                status, content, content_type, written = run.ask(
                    persona, op.method, op.path, api=True, body=op.body
                )
                run.answered.setdefault(f"{op.method} {op.name}", set()).add(status)
                if persona == "anonymous" and status != 401:
                    run.fail(op.name, persona, "-", f"anonymous answered {status}")
                if status >= 500:
                    run.fail(op.name, persona, "-", f"answered {status}")
                if status == 200:
                    run.check_leak(op.name, persona, "-", content, content_type)
            continue
        visit(
            run, op.name, path_for, declared(op.view),
            targets=("riverside", "oak") if district else TARGETS, method=op.method, api=True,
            body=op.body, district=district,
        )  # fmt: skip
    _report(run, started, f"{len(operations)} API operations")
