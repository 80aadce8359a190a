"""IEPs and 504 Plans: drafts, immutable versions, services, accommodations, goals."""
