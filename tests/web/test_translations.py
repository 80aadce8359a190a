"""Everything a user sees exists in English and Spanish."""

from __future__ import annotations

import gettext
import re
from pathlib import Path

import polib
from django.conf import settings

LOCALE = Path(settings.BASE_DIR) / "tandem" / "locale"
TEMPLATES = Path(settings.BASE_DIR) / "tandem" / "templates"


def test_every_spanish_message_is_translated_and_not_fuzzy():
    po = polib.pofile(str(LOCALE / "es" / "LC_MESSAGES" / "django.po"))
    untranslated = [e.msgid for e in po.untranslated_entries()]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    assert untranslated == [] and fuzzy == []


def test_translations_keep_every_placeholder_and_no_fuzzy_leftovers():
    po = polib.pofile(str(LOCALE / "es" / "LC_MESSAGES" / "django.po"))
    pattern = re.compile(r"%\(\w+\)[.\d]*[sdf]")
    for entry in po:
        assert not (entry.previous_msgid or entry.previous_msgid_plural), f"fuzzy: {entry.msgid!r}"
        if entry.msgid_plural:
            # A singular form may leave out the count ("once a week"), never add a name.
            allowed = set(pattern.findall(entry.msgid + entry.msgid_plural))
            for text in entry.msgstr_plural.values():
                assert set(pattern.findall(text)) <= allowed, entry.msgid
        elif entry.msgstr:
            assert set(pattern.findall(entry.msgid)) == set(pattern.findall(entry.msgstr)), (
                entry.msgid
            )


def test_our_catalogue_never_rewords_django_s_own_dates():
    """Django formats dates with its own words ("May"): a bare msgid of ours that matches one
    wins over Django's catalogue, so "4 de mayo" printed "4 de Puede" on an IEP. Give such a word
    a context instead."""
    from django.utils import translation
    from django.utils.dates import MONTHS, MONTHS_3, WEEKDAYS, WEEKDAYS_ABBR

    po = polib.pofile(str(LOCALE / "es" / "LC_MESSAGES" / "django.po"))
    with translation.override("en"):
        words = (*MONTHS.values(), *MONTHS_3.values(), *WEEKDAYS.values(), *WEEKDAYS_ABBR.values())
        django_words = {str(word) for word in words}
    clashes = [e.msgid for e in po if not e.msgctxt and e.msgid in django_words]
    assert clashes == [], f"give these a msgctxt: {clashes}"


def test_compiled_catalogue_matches_the_source():
    po = polib.pofile(str(LOCALE / "es" / "LC_MESSAGES" / "django.po"))
    with open(LOCALE / "es" / "LC_MESSAGES" / "django.mo", "rb") as handle:
        mo = gettext.GNUTranslations(handle)
    for entry in po.translated_entries():
        if entry.msgid_plural:
            continue
        if entry.msgctxt:  # the same word in another sense ("C" for classroom on the sheet)
            found = mo.pgettext(entry.msgctxt, entry.msgid)
        else:
            found = mo.gettext(entry.msgid)
        assert found == entry.msgstr, "run `make messages` to recompile"


def test_templates_have_no_untranslated_visible_text():
    """A crude guard: text between tags must sit inside a translation tag or be a variable."""
    offenders = []
    for path in TEMPLATES.rglob("*.html"):
        if path.name in ("500.html", "503.html"):  # bilingual by hand: no database, no menu
            continue
        text = path.read_text()
        text = re.sub(r"{%\s*(blocktrans|blocktranslate).*?{%\s*end\1\s*%}", "", text, flags=re.S)
        text = re.sub(r"{%.*?%}|{{.*?}}|<!--.*?-->", "", text, flags=re.S)
        text = re.sub(r"<(script|style)\b.*?</\1>", "", text, flags=re.S)
        for chunk in re.findall(r">([^<>]+)<", text):
            words = re.sub(r"[\s·—|(),.:/&;#0-9-]+", "", chunk)
            if words and words not in {"Tandem", "EnglishEspañol", "nbsp"}:
                offenders.append((path.name, chunk.strip()))
    assert offenders == []
