"""What the Ed-Fi benches share: the Grand Bend sample's path, a throwaway SQLite database with
Django set up on it, and a new district with one district administrator to import into."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SAMPLE = Path(os.environ.get("TANDEM_SHARED", ROOT.parent / "shared")) / "fixtures/edfi-grand-bend"


def arguments(description: str, *, keep: str) -> argparse.Namespace:
    """--path (the export, Grand Bend by default) and --keep; exits when the path is not there."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--path", type=Path, default=SAMPLE)
    parser.add_argument("--keep", action="store_true", help=f"keep {keep}")
    args = parser.parse_args()
    if not args.path.is_dir():
        sys.exit(f"no Ed-Fi export at {args.path}")
    return args


def throwaway_django(prefix: str) -> Path:
    """A folder holding a migrated SQLite database (bench.sqlite3) that Django now uses."""
    work = Path(tempfile.mkdtemp(prefix=prefix))
    db = work / "bench.sqlite3"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{db}", "DEBUG": "true"}
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], env=env, check=True, cwd=ROOT)
    os.environ.update({"DATABASE_URL": f"sqlite:///{db}", "DEBUG": "true"})
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    return work


def district_with_administrator() -> tuple[Any, Any]:
    """Grand Bend ISD, new, and its district administrator (after `throwaway_django`)."""
    from tandem.accounts.models import User
    from tandem.people.models import District, Role, Staff, StaffRole

    district = District.objects.create(name="Grand Bend ISD", slug="grand-bend", state="TX")
    actor = User.objects.create_user(email="director@grandbend.example", password=None)  # type: ignore[no-untyped-call]
    StaffRole.objects.create(staff=Staff.objects.create(user=actor), district=district,
                             role=Role.DISTRICT_ADMIN, start_date=date(2020, 7, 1))  # fmt: skip
    return district, actor
