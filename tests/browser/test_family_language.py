"""madre@ reads her own language: no English on her pages or in her PDFs but names and the
team's own words, marked as English under a Spanish notice (34 CFR 300.503(c), 300.9, 300.322(e)).

Two checks, each on every page she can reach from her home page and on the PDFs linked there:
- none of the English of Tandem's own lists (the accommodation library, service names, settings,
  goal areas, marking periods, data notes) appears: those have their Spanish;
- a language detector (lingua) reads each block of text outside `lang="en"`, proper names taken
  out, and finds none in English. In a PDF, which has no `lang` marks, an English line must be
  part of what the team wrote for her children's plans, and the document must carry the notice
  that a translation is coming.
Read-only: it only follows links and downloads.
"""

from __future__ import annotations

import io
import json
import re
from urllib.parse import urlsplit

import pytest
from lingua import Language, LanguageDetectorBuilder
from pypdf import PdfReader

from tests.browser.conftest import run_in_live_db, sign_in

pytestmark = pytest.mark.browser

MADRE = "madre@riverside.example"
PAGE_LIMIT = 40
# A block is English when the detector is this sure of it; short blocks ("Sí", "IEP") say too
# little to judge and are left to the library check.
ENGLISH_CONFIDENCE = 0.8
MIN_WORDS = 4

BLOCKS_JS = """() => {
  const blocks = new Map();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const el = walker.currentNode.parentElement;
    if (!el || el.closest('[lang="en"], script, style, svg, template, [hidden], .usa-sr-only'))
      continue;
    const block = el.closest(
      'p, li, td, th, h1, h2, h3, h4, h5, h6, dt, dd, caption, label, legend, summary,' +
      ' figcaption, button, option, a, div') || el;
    blocks.set(block, (blocks.get(block) || '') + ' ' + walker.currentNode.textContent);
  }
  return [...blocks.values()].map(t => t.replace(/\\s+/g, ' ').trim()).filter(Boolean);
}"""

FACTS_PY = """
import json
from tandem.accounts.models import User
from tandem.people.models import District, School, Student
from tandem.plans.queries import current_snapshot
from tandem.rules import accommodations
from tandem.services.models import ProviderContract
from tandem.translations.paragraphs import plan_paragraphs
import tandem.core.words as words
names = set(District.objects.values_list("name", flat=True))
names |= set(School.objects.values_list("name", flat=True))
names |= set(ProviderContract.objects.values_list("agency", flat=True))
names |= {u.get_full_name() for u in User.objects.all()}
names |= {s.display_name for s in Student.objects.all()}
children = Student.objects.filter(guardian_links__guardian__user__email="MADRE")
staff_words = []
for child in children:
    for plan in child.plans.all():
        staff_words += [p.text for p in plan_paragraphs(current_snapshot(plan))]
library = [e.title for e in accommodations.load_library()]
library += [e.description for e in accommodations.load_library()]
raw = json.loads(open(words.__file__.replace("core/words.py", "rules/data/words_es.json")).read())
library += [w for w in raw["es"] if len(w.split()) >= 2]
print(json.dumps({"names": sorted(n for n in names if n), "staff": staff_words,
                  "library": library}))
""".replace("MADRE", MADRE)


@pytest.fixture(scope="module")
def facts(live_url):  # type: ignore[no-untyped-def]
    return json.loads(run_in_live_db(FACTS_PY).strip().splitlines()[-1])


@pytest.fixture(scope="module")
def detector():  # type: ignore[no-untyped-def]
    return LanguageDetectorBuilder.from_languages(Language.ENGLISH, Language.SPANISH).build()


def _without_names(text: str, names: list[str]) -> str:
    for name in sorted(names, key=len, reverse=True):
        text = text.replace(name, " ")
    # Emails, links, ids and numbers say nothing of the language.
    text = re.sub(r"\S*[\d/@]\S*", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def _english(detector, text: str) -> bool:  # type: ignore[no-untyped-def]
    if len(text.split()) < MIN_WORDS:
        return False
    values = {c.language: c.value for c in detector.compute_language_confidence_values(text)}
    return values.get(Language.ENGLISH, 0.0) >= ENGLISH_CONFIDENCE


def _crawl(page) -> tuple[dict[str, list[str]], list[str]]:  # type: ignore[no-untyped-def]
    """Each page's blocks of text (outside lang="en"), and the PDFs linked from them."""
    seen: dict[str, list[str]] = {}
    pdfs: list[str] = []
    todo = ["/"]
    while todo and len(seen) < PAGE_LIMIT:
        path = todo.pop(0)
        if path in seen:
            continue
        response = page.goto(path)
        assert response is not None and response.status == 200, path
        if "html" not in (response.headers.get("content-type") or ""):
            seen[path] = []
            continue
        assert page.locator("html").get_attribute("lang") == "es", path
        seen[path] = page.evaluate(BLOCKS_JS)
        for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)"):
            parts = urlsplit(href)
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            if not parts.path.startswith("/") or parts.netloc not in page.url:
                continue
            if parts.path.startswith(("/logout", "/static/", "/api/")) or "download" in href:
                continue
            if parts.path.endswith((".ics",)):
                continue
            if parts.path.endswith((".pdf", "/pdf/")) or "pdf" in parts.query:
                pdfs.append(target)
            elif target not in seen:
                todo.append(target)
    return seen, sorted(set(pdfs))


def test_madre_finds_no_english_but_names_and_the_teams_marked_words(page, facts, detector):  # type: ignore[no-untyped-def]
    sign_in(page, MADRE)
    pages, pdfs = _crawl(page)
    assert len(pages) >= 10, sorted(pages)  # her children, their plans, minutes, messages, ...
    assert pdfs, "her children's plans link their PDFs"

    problems = []
    for path, blocks in pages.items():
        for block in blocks:
            for english in facts["library"]:
                if english in block:
                    problems.append((path, "library", english))
            text = _without_names(block, facts["names"])
            if _english(detector, text):
                problems.append((path, "English", block[:160]))

    staff = re.sub(r"\s+", " ", " ".join(facts["staff"]))
    for path in pdfs:
        response = page.request.get(path)
        assert response.status == 200, path
        reader = PdfReader(io.BytesIO(response.body()))
        text = "\n".join(p.extract_text() for p in reader.pages)
        flat = re.sub(r"\s+", " ", text)
        tandems = flat
        for written in facts["staff"]:  # the team may use a library phrase in its own words
            tandems = tandems.replace(re.sub(r"\s+", " ", written).strip(), " ")
        for english in facts["library"]:
            if english in tandems:
                problems.append((path, "library", english))
        english_lines = []
        for line in text.splitlines():
            # A label of Tandem's before the team's words: "Punto de partida: <baseline>".
            for part in re.split(r":\s", line):
                part = re.sub(r"\s+", " ", part).strip()
                if _english(detector, _without_names(part, facts["names"])):
                    english_lines.append(part)
                    if part not in staff:
                        problems.append((path, "English", part[:160]))
        if english_lines and "La traducción al español está en camino" not in flat:
            problems.append((path, "English without the notice", english_lines))
    assert problems == [], "\n".join(map(str, problems))
