"""What other apps give the family pages, asked for lazily: a block shows only when its app can
answer (the portal was built while progress, reports, meetings and messages were being built)."""

from __future__ import annotations

import logging
from importlib import import_module
from typing import Any

from django.urls import NoReverseMatch, reverse

log = logging.getLogger(__name__)


def provider(path: str) -> Any | None:
    """`module:function` if it exists, else None."""
    module_name, _, name = path.partition(":")
    try:
        module = import_module(module_name)
    except ImportError:
        return None
    return getattr(module, name, None)


def call(path: str, *args: Any, default: Any = None, **kwargs: Any) -> Any:
    """Call `module:function`, or return `default` when it is missing (or fails: logged)."""
    function = provider(path)
    if function is None:
        return default
    try:
        return function(*args, **kwargs)
    except Exception:  # noqa: BLE001 - another app's block must not take the page down
        log.exception("portal provider %s failed", path)
        return default


def url(name: str, *args: Any) -> str:
    """The URL of `name`, or '' while that page does not exist."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def template_exists(name: str) -> bool:
    from django.template import TemplateDoesNotExist
    from django.template.loader import get_template

    try:
        get_template(name)
    except TemplateDoesNotExist:
        return False
    return True
