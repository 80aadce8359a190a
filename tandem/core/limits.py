"""How much free text Tandem takes, in one place: the forms, the plan editor and the API.

Why bound it at all (issue 16): a tester saved a 2.4 MB plan section and its PDF then took 91 s
to render inside a web request; nothing refused it. Every limit below is far above what a team
really writes and small enough that a page, a PDF or an export stays quick. A refusal names the
field and the limit in words, and nothing is saved.

Measured on the seeded demo (`manage.py seed_demo`, 750 students, 48 plans) and the Ed-Fi
Grand Bend fixture: the longest plan section is 796 bytes of JSON (present levels, 784
characters in its text), a whole plan version's snapshot 7,769 characters, a referral's
description 336, a goal's text 288, a plan event's note 214, Grand Bend's longest text a
descriptor's description of 208 characters; no name or label is over 150.

The database columns are not narrowed (TextFields stay TextFields: narrowing them on SQLite
rebuilds the tables, and the audit tables carry triggers): the limits are checked where text
comes in, by the forms, the writers that take JSON (plan sections) and the API's schemas.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy

# A search box: a few words of a name or an id.
SEARCH = 100

# A name, label, title, role or setting ("Speech-language therapy", "general education
# classroom"). None in the demo or Grand Bend is over 150 characters; 200 is the house's usual
# CharField column too.
NAME = 200

# A one-line answer ("How often and when", "Who provides it", a next step). Demo answers are
# under 150 characters.
LINE = 500

# A short note or reason typed beside a form (a data point's note, why a point is voided, why
# a draft is discarded, a one-line answer in a plan section): a few sentences. The demo's
# longest note is 214 characters; 2,000 is the limit these fields and the API already had,
# kept so that nothing once accepted is refused now.
SHORT_NOTE = 2_000

# A note or a paragraph or two: a referral's description, a meeting's purpose, a reason for an
# amendment, a goal's text or baseline, an accommodation's wording, a contact's summary. The
# demo's longest such text is 336 characters (a referral's description); 5,000 is about two
# printed pages, fifteen times that.
NOTE = 5_000

# A goal's text (timeframe, condition, behavior, criterion, measure), as the goal editor has
# always bounded it, and its short-term objectives (one per line). The demo's longest goal is
# 288 characters.
GOAL_TEXT = 4_000
OBJECTIVES = 8_000

# A long text written in the application: present levels, the meeting's notes and decisions, an
# evaluation report's summary, a prior written notice. The demo's longest plan field is 784
# characters; real present levels of a student with many needs run to three or four printed
# pages, about 10,000 characters. 20,000 (about ten printed pages, 25 times the demo's longest)
# leaves room twice over for those, and is a hundred times less than the 2.4 MB section.
LONG_TEXT = 20_000

# One free-text field of a plan section (the present levels, the parent's concerns, ...).
SECTION_TEXT = LONG_TEXT

# A whole plan section as saved (its JSON content, UTF-8), bounding the sum of its fields: the
# transition section has seven text fields, so seven full fields would still be 140,000
# characters. 100 KB: over a hundred times the demo's longest section (796 bytes), five long
# fields of present levels, and 24 times less than the 2.4 MB section that took 91 s.
SECTION_BYTES = 100_000


def grouped(number: int) -> str:
    """A count in the reader's language with its thousands separator: 20,000 or 20.000."""
    return number_format(number, force_grouping=True)


class TextLimit(MaxLengthValidator):
    """Django's max-length check, saying the limit and the length in plain words.

    The field's label goes in front where the message is shown (the error summary and the
    editor's save status say "Present levels: ..."), so the message itself does not repeat it.
    """

    def __init__(self, limit_value: int) -> None:
        super().__init__(limit_value)

    def __call__(self, value: Any) -> None:
        length = self.clean(value)
        if self.compare(length, self.limit_value):
            raise ValidationError(
                too_long_message(self.limit_value, length),
                code=self.code,
            )


def too_long_message(limit: int, length: int) -> str:
    """'At most 20,000 characters (you typed 24,512).' in the reader's language."""
    message = gettext_lazy("At most %(limit)s characters (you typed %(length)s).")
    return str(message) % {"limit": grouped(limit), "length": grouped(length)}


def use_plain_words(field: Any) -> None:
    """Put TextLimit in place of a CharField's stock max-length validator (same limit)."""
    limit = getattr(field, "max_length", None)
    if not limit:
        return
    field.validators = [
        TextLimit(int(limit)) if type(v) is MaxLengthValidator else v for v in field.validators
    ]
