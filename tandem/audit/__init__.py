"""The record of access: every read and write of a student's record (FERPA 99.32, IDEA 300.614).

Write with `audit.record(...)`; the request's channel, address and purpose come from
`tandem.audit.context`, set by `tandem.audit.middleware`.
"""

from tandem.audit.events import record

__all__ = ["record"]
