"""A district's special-education and 504 records as Ed-Fi JSON: a zip of one JSON Lines file per
Ed-Fi ODS/API resource (Data Standard 5.2, and 6.1's IEP entities where Tandem has them), each
line one resource as the API's POST takes it, and `manifest.json` with the counts.

Streamed: each resource is read in keyset pages and written line by line into its zip entry, so
a district of 100,000 students never sits in memory (only the students' keys, for the audit log).
Reading only: the audit event is the caller's (`tandem.interop.actions_edfi.export_edfi`).
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import IO, Any

from django.db.models import QuerySet

from tandem.interop import edfi_export_ieps as ieps
from tandem.interop import edfi_export_people as people
from tandem.interop import edfi_export_programs as programs
from tandem.interop.edfi_export_refs import Out
from tandem.people.models import District, Student

Builder = Callable[[Out], Iterator[dict[str, Any]]]

# Ed-Fi resource name (the API's path under /ed-fi/) -> what writes it, in load order: a
# reference always points at a resource written before it.
RESOURCES: dict[str, tuple[str, Builder]] = {
    "schools": ("5.2", people.schools),
    "students": ("5.2", people.students),
    "studentSchoolAssociations": ("5.2", people.student_school_associations),
    "studentSpecialEducationProgramAssociations": ("5.2", programs.special_education),
    "studentSection504ProgramAssociations": ("5.2", programs.section_504),
    "studentIEPs": ("6.1", ieps.student_ieps),
    "studentIEPServicePrescriptions": ("6.1", ieps.service_prescriptions),
    "ideaEvents": ("6.1", ieps.idea_events),
}
MANIFEST = "manifest.json"


@dataclass
class Manifest:
    district: str
    generated_on: date
    counts: dict[str, int] = field(default_factory=dict)
    students: list[int] = field(default_factory=list)  # keys of the students written

    def as_json(self) -> dict[str, Any]:
        return {
            "format": "Ed-Fi ODS/API resources, one JSON object per line",
            "district": self.district,
            "generatedOn": self.generated_on.isoformat(),
            "resources": [
                {
                    "resource": name,
                    "dataStandard": RESOURCES[name][0],
                    "file": f"{name}.jsonl",
                    "count": n,
                }
                for name, n in self.counts.items()
            ],  # fmt: skip
        }


def entry(name: str) -> str:
    return f"{name}.jsonl"


def write(
    target: IO[bytes], *, district: District, students: QuerySet[Student], today: date
) -> Manifest:
    """Write the zip of `students` (the district's, as the access policy scoped them) to
    `target`; return its manifest."""
    out = Out(district=district, students=students.filter(district=district), today=today)
    manifest = Manifest(district=district.name, generated_on=today)
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, (_standard, build) in RESOURCES.items():
            count = 0
            with archive.open(entry(name), "w", force_zip64=True) as handle:
                for resource in build(out):
                    handle.write(json.dumps(resource, ensure_ascii=False,
                                            separators=(",", ":")).encode() + b"\n")  # fmt: skip
                    count += 1
            manifest.counts[name] = count
        archive.writestr(MANIFEST, json.dumps(manifest.as_json(), indent=2))
    manifest.students = out.listed
    return manifest


def read(archive: zipfile.ZipFile, name: str) -> Iterator[dict[str, Any]]:
    """The resources of one file of an export, one at a time."""
    with archive.open(entry(name)) as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)
