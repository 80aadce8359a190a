"""The API's request parser: refuses the NUL character in any string it is sent.

PostgreSQL cannot store NUL in text, so a string carrying one would fail at the database with a
500 (SQLite would keep it). Every string of the API arrives through this parser (JSON bodies,
query strings and forms), so the check is made once here and answered 422 naming the field.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.datastructures import MultiValueDict
from ninja.parser import Parser

NUL = "\x00"
MESSAGE = "Must not contain the NUL character (\\u0000)."
NOT_AN_OBJECT = "Send a JSON object of the fields."


class NulInput(Exception):
    """A string sent to the API holds NUL; `field` is where, as the error envelope names it."""

    def __init__(self, field: str) -> None:
        super().__init__(field)
        self.field = field


class NotAnObject(Exception):
    """A body that is JSON but not an object (a list, a string, a number).

    Every body of the API is an object of fields; ninja would read the fields as attributes of
    the list or string and answer with Python's errors ("list.count() takes exactly one
    argument") under each field's name.
    """


def nul_at(value: Any, path: tuple[str, ...] = ()) -> str | None:
    """The dotted path of the first string in `value` holding NUL (keys included), or None."""
    if isinstance(value, str):
        return (".".join(path) or "request") if NUL in value else None
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(key, str) and NUL in key:
                return ".".join((*path, key.replace(NUL, ""))) or "request"
            if (found := nul_at(item, (*path, str(key)))) is not None:
                return found
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            if (found := nul_at(item, (*path, str(index)))) is not None:
                return found
    return None


class RefuseNulParser(Parser):
    """ninja's JSON parser, refusing NUL in every string it hands on."""

    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        data = super().parse_body(request)
        if not isinstance(data, dict):
            raise NotAnObject
        # ninja wraps a parser's exception in a 400; the API's handler finds this one beneath it.
        if (field := nul_at(data)) is not None:
            raise NulInput(field)
        return data

    def parse_querydict(
        self, data: MultiValueDict[str, Any], list_fields: list[str], request: HttpRequest
    ) -> dict[str, Any]:
        result = super().parse_querydict(data, list_fields, request)
        if (field := nul_at(result)) is not None:
            raise NulInput(field)
        return result
