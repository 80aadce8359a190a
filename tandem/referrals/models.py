"""Referral, case review, consent, evaluation and eligibility."""
