"""Every free-text input has a length limit (issue 16: a 2.4 MB plan section took 91 s to print).

A new form field or API input that takes text without a limit fails here, so the limit is
chosen when the field is written (from tandem.core.limits), not after a tester finds it.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Iterator
from typing import Any

import pytest
from django import forms

import tandem
from tandem.api.api import api
from tandem.core import limits
from tandem.plans.forms_editor import SECTION_SPECS, SectionForm


def _modules() -> Iterator[Any]:
    for info in pkgutil.walk_packages(tandem.__path__, "tandem."):
        if ".migrations" in info.name:
            continue
        yield importlib.import_module(info.name)


def _form_classes() -> list[type[forms.BaseForm]]:
    found: dict[str, type[forms.BaseForm]] = {}
    for module in _modules():
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__.startswith("tandem."):
                found[f"{cls.__module__}.{cls.__qualname__}"] = cls
    return list(found.values())


FORMS = _form_classes()


def test_the_walk_finds_the_forms() -> None:
    # Guards the walk itself: if it found nothing, the test below would pass on nothing.
    assert len(FORMS) > 80


def _unbounded(fields: dict[str, forms.Field]) -> list[str]:
    # A UUIDField is a CharField whose value must parse as a uuid: its own shape bounds it.
    return [
        name
        for name, field in fields.items()
        if isinstance(field, forms.CharField)
        and not isinstance(field, forms.UUIDField)
        and not field.max_length
    ]


@pytest.mark.parametrize("form", FORMS, ids=lambda c: f"{c.__module__}.{c.__qualname__}")
def test_every_text_field_of_every_form_has_a_max_length(form: type[forms.BaseForm]) -> None:
    missing = _unbounded(form.base_fields)
    assert not missing, (
        f"{form.__module__}.{form.__qualname__}: {missing} take text without max_length; "
        "give each a limit from tandem.core.limits (a ModelForm: Meta.formfield_callback = "
        "tandem.core.forms.text_limits(...))."
    )


@pytest.mark.parametrize("key", sorted(SECTION_SPECS))
def test_every_field_of_every_plan_section_has_a_max_length(key: str) -> None:
    # The section's fields are built when the form is made, so base_fields does not show them.
    assert not _unbounded(SectionForm(key=key).fields)


def test_a_section_field_is_bounded_by_the_section_limit() -> None:
    form = SectionForm(key="plaafp")
    assert form.fields["text"].max_length == limits.SECTION_TEXT


# --- the API ----------------------------------------------------------------------------------


def _resolve(schema: dict[str, Any], spec: dict[str, Any]) -> dict[str, Any]:
    ref = schema.get("$ref")
    if not ref:
        return schema
    node: Any = spec
    for part in ref.lstrip("#/").split("/"):
        node = node[part]
    return node  # type: ignore[no-any-return]


def _unbounded_strings(schema: dict[str, Any], spec: dict[str, Any], path: str) -> list[str]:
    schema = _resolve(schema, spec)
    found: list[str] = []
    for key in ("anyOf", "oneOf", "allOf"):
        for option in schema.get(key, []):
            found += _unbounded_strings(option, spec, path)
    # A date, a uuid or a choice has its own shape; free text needs a maxLength.
    shaped = any(key in schema for key in ("maxLength", "format", "enum"))
    if schema.get("type") == "string" and not shaped:
        found.append(path)
    if "items" in schema:
        found += _unbounded_strings(schema["items"], spec, f"{path}[]")
    for name, prop in schema.get("properties", {}).items():
        found += _unbounded_strings(prop, spec, f"{path}.{name}")
    extra = schema.get("additionalProperties")
    if isinstance(extra, dict):
        found += _unbounded_strings(extra, spec, f"{path}.*")
    return found


def _api_inputs() -> Iterator[tuple[str, dict[str, Any], dict[str, Any]]]:
    spec = api.get_openapi_schema()
    for url, methods in spec["paths"].items():
        for method, operation in methods.items():
            name = f"{method.upper()} {url}"
            for content in operation.get("requestBody", {}).get("content", {}).values():
                yield f"{name} body", content["schema"], spec
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "query":
                    yield f"{name} ?{parameter['name']}", parameter["schema"], spec


def test_the_api_has_request_bodies_to_check() -> None:
    assert any(where.endswith("body") for where, _schema, _spec in _api_inputs())


def test_every_string_the_api_takes_has_a_max_length() -> None:
    missing = [
        found
        for where, schema, spec in _api_inputs()
        for found in _unbounded_strings(schema, spec, where)
    ]
    assert not missing, (
        f"API inputs without maxLength: {missing}; give each a limit from tandem.core.limits "
        "(pydantic Field(max_length=...) or the types in tandem/api/schemas.py)."
    )
