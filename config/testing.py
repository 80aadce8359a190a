"""Test-run defaults, loaded as a pytest plugin (`-p config.testing`) before Django reads settings."""

import atexit
import os
import shutil
import tempfile

os.environ.setdefault("SECRET_KEY", "test-only-not-secret")
os.environ.setdefault("AXES_ENABLED", "false")
os.environ.setdefault("TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend")
os.environ.setdefault("STATIC_MANIFEST", "false")
# Tests sign district administrators in with force_login; tests of the second factor turn it on.
os.environ.setdefault("TWO_FACTOR_FOR_ADMINS", "false")
# A suite makes thousands of API calls as one person; tests/api/test_rate_limit.py turns it on.
os.environ.setdefault("API_RATE_LIMIT", "")
# Files the code keeps (plan PDFs made when a version is frozen, uploads) go to a folder of the
# run's own, never the checkout's var/, even from fixtures set up before a test's `settings`.
_MEDIA = tempfile.mkdtemp(prefix="tandem-test-media-")
atexit.register(shutil.rmtree, _MEDIA, ignore_errors=True)
os.environ.setdefault("MEDIA_ROOT", _MEDIA)
