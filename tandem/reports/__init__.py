"""Progress reports to parents, per reporting period."""
