"""Goal editor and goal bank pages."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
