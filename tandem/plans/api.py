"""The plans API (GET /students/{id}/plans, /plans/{id}, /plans/{id}/versions[/{n}])."""

from ninja import Router

router = Router(tags=["plans"])
