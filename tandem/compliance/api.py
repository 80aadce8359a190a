"""The deadlines API (GET /students/{id}/deadlines, GET /deadlines)."""

from ninja import Router

router = Router(tags=["deadlines"])
