"""Test-run defaults, loaded as a pytest plugin (`-p config.testing`) before Django reads settings."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-not-secret")
os.environ.setdefault("AXES_ENABLED", "false")
os.environ.setdefault("TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend")
os.environ.setdefault("STATIC_MANIFEST", "false")
# Tests sign district administrators in with force_login; tests of the second factor turn it on.
os.environ.setdefault("TWO_FACTOR_FOR_ADMINS", "false")
# A suite makes thousands of API calls as one person; tests/api/test_rate_limit.py turns it on.
os.environ.setdefault("API_RATE_LIMIT", "")
