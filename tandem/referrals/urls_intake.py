"""Referral, case review, prior written notice and consent pages."""

urlpatterns: list = []
