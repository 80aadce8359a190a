"""The roster writes' refusals in the API's one error envelope: 422 naming the field, as ninja
names a body's own fields ("payload.school"), and 409 naming the record already there."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Status
from ninja.errors import ValidationError as NinjaValidationError

from tandem.people.conflicts import AlreadyOnRecord

BODY = "payload"


def field_error(field: str, message: str) -> NinjaValidationError:
    """One field of the body refused: answered 422 by the API's handler."""
    return invalid(ValidationError({field: message}))


def invalid(error: ValidationError) -> NinjaValidationError:
    """An action's refusal (a Django ValidationError) as the API's 422, each field named."""
    named = error.message_dict if hasattr(error, "error_dict") else {"": error.messages}
    items = []
    for name, messages in named.items():
        path = [] if name in ("", "__all__") else name.split(".")
        for message in messages:
            items.append({"loc": ("body", BODY, *path), "msg": message, "type": "value_error"})
    return NinjaValidationError(items)


@contextmanager
def named_refusals() -> Iterator[None]:
    """An action's refusal inside the block answers 422, each field named (`invalid`)."""
    try:
        yield
    except ValidationError as error:
        raise invalid(error) from None


def conflict(error: AlreadyOnRecord) -> Status[dict[str, Any]]:
    """409: the record is already there; its id is given so the caller can change it instead."""
    return Status(
        409,
        {
            "error": {
                "status": 409,
                "code": "already_on_record",
                "message": error.message,
                "fields": {f"{BODY}.{error.field}": [error.message]},
                "existing_id": str(error.existing),
            }
        },
    )


def not_in_district(field: str) -> NinjaValidationError:
    return field_error(field, _("No such school in a district you administer."))
