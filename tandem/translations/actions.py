"""The only write path for translations: request, assign, translate, review, publish.

Requesting, assigning, reviewing and publishing need `Cap.WRITE_PLAN` on the student (the case
manager, the plan's other writers, leaders): the translation is part of writing the plan for
this family. Translating is the assigned translator's, on their own assignment; a plan writer
may also correct it. A second person checks the translation: whoever wrote a paragraph of it,
or was given it to translate, cannot mark it reviewed. Each action is atomic and audited;
a refusal names the paragraph or field and saves nothing.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from tandem import audit
from tandem.access.capabilities import Cap
from tandem.access.policy import can, require, standing
from tandem.accounts.models import User
from tandem.audit.catalogue import Action
from tandem.communication.notify import notify_localized
from tandem.core import clock
from tandem.people.models import Staff
from tandem.people.relations import rights_holders
from tandem.plans.actions_common import lock_plan
from tandem.plans.models import Plan
from tandem.plans.queries import current_snapshot
from tandem.translations import dates, queries
from tandem.translations.models import (
    TranslatedParagraph,
    Translation,
    TranslationStatus,
)
from tandem.translations.paragraphs import part_label, plan_paragraphs, section_title, source_hash

# The most one translated paragraph may hold: a paragraph of English is a line of a section, and
# a section holds at most 20,000 characters (plans.models.SECTION_TEXT_LIMIT).
PARAGRAPH_LIMIT = 20_000
EDITABLE = (
    TranslationStatus.REQUESTED,
    TranslationStatus.ASSIGNED,
    TranslationStatus.TRANSLATED,
    TranslationStatus.REVIEWED,
)


def paragraph_name(paragraph: TranslatedParagraph) -> str:
    """ "Strengths, paragraph 2" (with the part's label when the section has several parts)."""
    where = section_title(paragraph.section)
    if paragraph.field != "text":
        where = f"{where} ({part_label(paragraph.section, paragraph.field)})"
    return _("%(where)s, paragraph %(n)s") % {"where": where, "n": paragraph.index}


def field_name(paragraph: TranslatedParagraph) -> str:
    """The editor's form field for a paragraph: an action's refusal is put on it."""
    return f"p{paragraph.position}"


def _lock(translation: Translation) -> Translation:
    return (
        Translation.objects.select_for_update(of=("self",))
        .select_related("plan__student__district", "translator")
        .get(pk=translation.pk)
    )


def _is_translator(actor: User, translation: Translation) -> bool:
    staff_id = standing(actor).staff_id
    return staff_id is not None and translation.translator_id == staff_id


def _refuse_empty(rows: list[TranslatedParagraph]) -> None:
    """Refuse, naming each paragraph without a translation."""
    empty = [p for p in rows if not p.text.strip()]
    if empty:
        raise ValidationError(
            {
                field_name(p): _("%(paragraph)s has no Spanish text.")
                % {"paragraph": paragraph_name(p)}
                for p in empty
            }
        )


@transaction.atomic
def request_translation(*, actor: User, plan: Plan) -> Translation:
    """Ask for the English the plan shows today to be translated for the family."""
    require(actor, plan.student, Cap.WRITE_PLAN)
    plan = lock_plan(plan)
    frozen = not plan.is_editable and plan.current_version is not None
    version = plan.current_version if frozen else None
    found = plan_paragraphs(current_snapshot(plan))
    if not found:
        raise ValidationError({"plan": _("The team has not written anything to translate yet.")})
    if queries.family_language(plan.student) != queries.SPANISH:
        raise ValidationError(
            {"plan": _("The family reads English: this plan needs no translation.")}
        )
    hashed = source_hash(found)
    existing = queries.for_text(plan, hashed)
    if existing is not None:
        return existing  # already under way, or published: never two for the same English
    now = clock.now()
    ready = version.created_at.date() if version is not None else clock.today()
    translation = Translation.objects.create(
        plan=plan,
        version=version,
        language=queries.SPANISH,
        source_hash=hashed,
        due_on=dates.due_on(plan.student, ready),
        requested_by=actor,
        requested_at=now,
    )
    remembered = queries.memory(plan.student.district_id, [p.digest for p in found])
    TranslatedParagraph.objects.bulk_create(
        TranslatedParagraph(
            translation=translation,
            position=n,
            section=p.section,
            field=p.field,
            index=p.index,
            source=p.text,
            source_digest=p.digest,
            text=remembered.get(p.digest, ""),
            from_memory=p.digest in remembered,
        )
        for n, p in enumerate(found, start=1)
    )
    audit.record(
        actor=actor,
        action=Action.TRANSLATION__REQUESTED,
        student=plan.student,
        target=translation,
        detail={
            "plan": str(plan.public_id),
            "version": version.number if version is not None else None,
            "paragraphs": len(found),
            "from_memory": sum(1 for p in found if p.digest in remembered),
            "due_on": translation.due_on.isoformat(),
        },
    )
    return translation


@transaction.atomic
def assign_translation(*, actor: User, translation: Translation, translator: Staff) -> Translation:
    """Give the translation to a translator or interpreter: any active staff of the district."""
    translation = _lock(translation)
    student = translation.plan.student
    require(actor, student, Cap.WRITE_PLAN)
    if translation.status == TranslationStatus.PUBLISHED:
        raise ValidationError(
            {"translator": _("This translation is published: request a new one to change it.")}
        )
    if not queries.translators(student.district, today=clock.today()).filter(pk=translator.pk):
        raise ValidationError({"translator": _("Choose someone who works for the district today.")})
    translation.translator = translator
    translation.assigned_by = actor
    translation.assigned_at = clock.now()
    if translation.status == TranslationStatus.REQUESTED:
        translation.status = TranslationStatus.ASSIGNED
    translation.save()
    audit.record(
        actor=actor,
        action=Action.TRANSLATION__ASSIGNED,
        student=student,
        target=translation,
        detail={"translator": str(translator.public_id), "due_on": translation.due_on.isoformat()},
    )
    due = translation.due_on
    notify_localized(
        [translator],
        render=lambda: (
            _("A plan to translate into Spanish"),
            _("You were asked to translate a plan into Spanish by %(day)s.") % {"day": due},
        ),
        url=reverse("translation_edit", args=[translation.public_id]),
        kind="translation.assigned",
    )
    return translation


@transaction.atomic
def save_translation(
    *, actor: User, translation: Translation, texts: Mapping[int, str], submit: bool = False
) -> Translation:
    """Save the translated paragraphs (`texts` by position); `submit` sends it for review and
    needs every paragraph translated."""
    translation = _lock(translation)
    student = translation.plan.student
    if not (_is_translator(actor, translation) and actor.is_active):
        require(actor, student, Cap.WRITE_PLAN)
    if translation.status not in EDITABLE:
        raise ValidationError(
            {"translation": _("This translation is published: request a new one to change it.")}
        )
    rows = queries.paragraphs(translation)
    now, changed = clock.now(), []
    for row in rows:
        new = str(texts.get(row.position, row.text) or "").strip()
        if len(new) > PARAGRAPH_LIMIT:
            raise ValidationError(
                {
                    field_name(row): _("%(paragraph)s is too long.")
                    % {"paragraph": paragraph_name(row)}
                }
            )
        if new != row.text:
            row.text, row.from_memory, row.updated_by, row.updated_at = new, False, actor, now
            changed.append(row)
    if submit:
        _refuse_empty(rows)
    TranslatedParagraph.objects.bulk_update(
        changed, ["text", "from_memory", "updated_by", "updated_at"]
    )
    if changed and translation.status == TranslationStatus.REVIEWED:
        # The review was of other words: it is checked again.
        translation.status, translation.reviewed_by, translation.reviewed_at = (
            TranslationStatus.TRANSLATED,
            None,
            None,
        )
    if submit:
        translation.status, translation.translated_at = TranslationStatus.TRANSLATED, now
    translation.save()
    audit.record(
        actor=actor,
        action=Action.TRANSLATION__SUBMITTED if submit else Action.TRANSLATION__SAVED,
        student=student,
        target=translation,
        detail={"changed": [r.position for r in changed][:200]},
    )
    return translation


@transaction.atomic
def review_translation(*, actor: User, translation: Translation) -> Translation:
    """A second person marks the translation checked."""
    translation = _lock(translation)
    student = translation.plan.student
    require(actor, student, Cap.WRITE_PLAN)
    if translation.status != TranslationStatus.TRANSLATED:
        raise ValidationError(
            {"translation": _("Only a translation sent for review can be marked reviewed.")}
        )
    rows = queries.paragraphs(translation)
    _refuse_empty(rows)
    authors = {r.updated_by_id for r in rows} | {
        translation.translator.user_id if translation.translator else None
    }
    if actor.pk in authors:
        raise ValidationError(
            {"translation": _("A second person checks a translation: not one of its translators.")}
        )
    translation.status = TranslationStatus.REVIEWED
    translation.reviewed_by, translation.reviewed_at = actor, clock.now()
    translation.save()
    audit.record(
        actor=actor, action=Action.TRANSLATION__REVIEWED, student=student, target=translation
    )
    return translation


@transaction.atomic
def publish_translation(*, actor: User, translation: Translation) -> Translation:
    """Show the reviewed translation to the family, paired with the plan version it translates."""
    translation = _lock(translation)
    student = translation.plan.student
    require(actor, student, Cap.WRITE_PLAN)
    if translation.status == TranslationStatus.PUBLISHED:
        return translation
    _refuse_empty(queries.paragraphs(translation))
    if translation.status != TranslationStatus.REVIEWED:
        raise ValidationError(
            {"translation": _("A second person checks the translation before it is published.")}
        )
    plan = lock_plan(translation.plan)
    shown = plan_paragraphs(current_snapshot(plan))
    if source_hash(shown) != translation.source_hash:
        raise ValidationError(
            {
                "translation": _(
                    "The English of the plan changed since this translation was requested: "
                    "request a new one (what did not change is filled in from this one)."
                )
            }
        )
    if translation.version_id is None and not plan.is_editable:
        translation.version = plan.current_version  # a draft's translation, now frozen with it
    translation.status = TranslationStatus.PUBLISHED
    translation.published_by, translation.published_at = actor, clock.now()
    translation.save()
    version = translation.version
    audit.record(
        actor=actor,
        action=Action.TRANSLATION__PUBLISHED,
        student=student,
        target=translation,
        detail={
            "plan": str(plan.public_id),
            "version": version.number if version is not None else None,
            "hash": translation.source_hash,
        },
    )
    _tell_family(translation)
    return translation


def _tell_family(translation: Translation) -> None:
    student = translation.plan.student
    name = student.first_name
    notify_localized(
        [g for g in rights_holders(student) if g.user_id],
        render=lambda: (
            _("%(name)s's plan is now in Spanish") % {"name": name},
            _("What the team wrote in %(name)s's plan is now translated into Spanish.")
            % {"name": name},
        ),
        url=reverse("portal_child", args=[student.public_id]),
        student=student,
        kind="translation.published",
    )


def may_translate(actor: User, translation: Translation) -> bool:
    """Whether the editor lets `actor` write: the assigned translator, or a plan writer."""
    if translation.status not in EDITABLE:
        return False
    return _is_translator(actor, translation) or can(
        actor, Cap.WRITE_PLAN, translation.plan.student
    )
