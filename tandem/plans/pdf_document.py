"""A plan's PDF as a document: what it shows (a frozen version, or the draft's content named by
its hash), how big that is, and its HTML in one language. Reads only; no request needed, so the
worker renders exactly what the page would.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation

from tandem.plans import pages, queries
from tandem.plans.document_facts import document_facts
from tandem.plans.models import Plan, PlanVersion
from tandem.plans.snapshots import content_hash

TEMPLATE = "plans/document_pdf.html"

# Below this many bytes of snapshot (its JSON, UTF-8) the PDF is made in the request; above,
# by the worker. Measured with bench/pdf_bound.py on a 2-core machine: the demo's median plan
# (6.1 KB) takes 0.8 s (en) / 0.9 s (es), 5 pages; an IEP with every section and 20 goals at the
# input limits (581 KB) 11.1 s / 14.1 s, 173 pages: about 0.8 s plus 20-25 ms per KB. At 64 KB
# (ten times the demo's median, a long real IEP with several pages of present levels) that is
# about 2.3 s of one web thread at worst, as long as a page may reasonably take; anything
# bigger waits for the worker, under its time limit, and holds no web thread.
INLINE_MAX_BYTES = 64_000


@dataclass(frozen=True)
class Target:
    """What one PDF of the plan shows."""

    version: PlanVersion | None
    key: str  # "v3", or "draft-<sha256>" for the draft's content
    snapshot: dict[str, Any]

    @property
    def size(self) -> int:
        return len(json.dumps(self.snapshot, ensure_ascii=False).encode())

    @property
    def is_small(self) -> bool:
        return self.size <= INLINE_MAX_BYTES


def target_for(plan: Plan, version: PlanVersion | None) -> Target:
    """The version asked for; else the draft's current content; else the current version."""
    if version is None and not queries.is_live_draft(plan) and plan.current_version is not None:
        version = plan.current_version
    if version is not None:
        return Target(version, f"v{version.number}", version.snapshot)
    snapshot = queries.current_snapshot(plan)
    return Target(None, f"draft-{content_hash(snapshot)}", snapshot)


def html_for(plan: Plan, target: Target, language: str) -> str:
    """The PDF's HTML in `language`, from the same templates as the pages."""
    with translation.override(language):
        context: dict[str, Any] = {
            "plan": plan,
            "student": plan.student,
            **pages.document(plan, target.version, snapshot=target.snapshot),
        }
        context.update(document_facts(plan, context["doc"]), page_css=pages.pdf_footer())
        return render_to_string(TEMPLATE, context)


def filename_for(plan: Plan, target: Target) -> str:
    suffix = f"v{target.version.number}" if target.version is not None else "draft"
    return f"{plan.kind}-{plan.public_id}-{suffix}.pdf"
