"""WeasyPrint in a child process with a time limit: a render past the limit is killed.

Why a process and not a thread: a thread cannot be stopped, and WeasyPrint's layout is pure
Python holding the GIL, so a runaway render would hold the worker (or a web thread) for as
long as it likes. The parent renders the HTML (it needs the database); the child only lays it
out, touches no database connection and writes the PDF to a file it renames when complete, so
a killed child leaves nothing half-written that anyone could mistake for a PDF.
"""

from __future__ import annotations

import multiprocessing
import os
import tempfile
import traceback
from pathlib import Path

import weasyprint
from django.conf import settings


class RenderFailed(Exception):
    """The child could not make the PDF; the message says why, in words for the log."""


class RenderTimedOut(RenderFailed):
    """The child was still rendering when the time limit came; it was killed."""


def _context() -> multiprocessing.context.BaseContext:
    # fork: the child starts in milliseconds with Django and WeasyPrint already imported (spawn
    # would import them again, a second or two of every render).
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def _write(html: str, base_url: str, out: str, err: str) -> None:
    try:
        weasyprint.HTML(string=html, base_url=base_url).write_pdf(out + ".part", pdf_tags=True)
        os.replace(out + ".part", out)
    except BaseException:  # noqa: BLE001 - the parent reads why from the file
        Path(err).write_text(traceback.format_exc()[-2000:], encoding="utf-8")
        raise


def write_pdf_isolated(html: str, *, seconds: float) -> bytes:
    """The PDF of `html`, laid out in a child process killed after `seconds`."""
    base_url = str(Path(settings.BASE_DIR))
    with tempfile.TemporaryDirectory(prefix="tandem-pdf-") as tmp:
        out, err = str(Path(tmp) / "out.pdf"), str(Path(tmp) / "error.txt")
        child = _context().Process(target=_write, args=(html, base_url, out, err), daemon=True)
        child.start()
        child.join(seconds)
        if child.is_alive():
            child.kill()
            child.join()
            raise RenderTimedOut(f"still rendering after {seconds:g} s; stopped")
        if child.exitcode != 0 or not Path(out).is_file():
            reason = Path(err).read_text(encoding="utf-8") if Path(err).is_file() else ""
            last = reason.strip().splitlines()[-1] if reason.strip() else ""
            raise RenderFailed(f"exit code {child.exitcode}: {last}".strip(": "))
        return Path(out).read_bytes()
