"""Meetings: scheduling, notices, invitations, attendance, minutes."""
