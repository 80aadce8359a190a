"""The OneRoster sample with real-world quirks lives in ../shared (not copied into the project)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

SHARED = Path(os.environ.get("TANDEM_SHARED", Path(__file__).resolve().parents[3] / "shared"))
QUIRKS = SHARED / "fixtures" / "oneroster-v1p2-quirks"

# Birth dates and sex for the sample's three students (the sample has no demographics.csv).
DEMOGRAPHICS = """sourcedId,status,dateLastModified,birthDate,sex,americanIndianOrAlaskaNative,\
asian,blackOrAfricanAmerican,nativeHawaiianOrOtherPacificIslander,white,\
demographicRaceTwoOrMoreRaces,hispanicOrLatinoEthnicity
usr-222-66778899,,,2008-04-02,female,false,false,false,false,true,false,false
usr-222-1234561232,,,3/14/2008,male,false,true,false,false,false,false,true
usr-222-567891,,,2009-01-20T00:00:00Z,other,false,false,true,false,false,false,false
"""


@pytest.fixture
def quirks() -> Path:
    if not QUIRKS.is_dir():
        pytest.skip(f"the shared OneRoster sample is not at {QUIRKS} (set TANDEM_SHARED)")
    return QUIRKS


@pytest.fixture
def roster_dir(quirks: Path, tmp_path: Path) -> Path:
    """A copy of the sample with demographics.csv added (so its students can be created) and a
    byte order mark on users.csv, as Excel writes it."""
    folder = tmp_path / "roster"
    shutil.copytree(quirks, folder)
    (folder / "demographics.csv").write_text(DEMOGRAPHICS, encoding="utf-8")
    users = folder / "users.csv"
    users.write_bytes(b"\xef\xbb\xbf" + users.read_bytes())
    return folder


GRAND_BEND = SHARED / "fixtures" / "edfi-grand-bend"


@pytest.fixture(scope="session")
def grand_bend() -> Path:
    if not GRAND_BEND.is_dir():
        pytest.skip(f"the shared Ed-Fi sample is not at {GRAND_BEND} (set TANDEM_SHARED)")
    return GRAND_BEND
