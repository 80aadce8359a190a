"""What every Ed-Fi export resource shares: the run's context, the references between resources
(student, school, education organization, program) and the reading of rows in chunks.

The resources are shaped as the Ed-Fi ODS/API writes them (JSON, camelCase, descriptors as URI
strings), one object per line, so a reader posts each line as it is to the API.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeVar

from django.db.models import Model, QuerySet

from tandem.interop.edfi_codes import uri
from tandem.interop.models import ExternalId, ImportedProgram
from tandem.interop.models import Kind as ExternalKind
from tandem.people.models import District, School, Student

# Descriptors Ed-Fi publishes no default for (the DS 6.1 IEP entities' values, a service written
# in Tandem's words): Tandem's own namespace, which a state maps on loading.
TANDEM = "uri://tandem"
CHUNK = 500
M = TypeVar("M", bound=Model)


@dataclass
class Out:
    """One export: the district, its students the person may read, and what the run learns."""

    district: District
    students: QuerySet[Student]
    today: date
    school_ids: dict[int, int] = field(default_factory=dict)  # school pk -> Ed-Fi SchoolId
    listed: list[int] = field(default_factory=list)  # the students written, for the audit log

    def __post_init__(self) -> None:
        linked = dict(ExternalId.objects.filter(district=self.district, source="edfi",
                                                kind=ExternalKind.SCHOOL)
                      .values_list("object_id", "sis_id"))  # fmt: skip
        for pk, code in School.objects.filter(district=self.district).values_list("pk", "code"):
            kept = str(linked.get(pk, ""))
            self.school_ids[pk] = int(kept if kept.isdigit() else code if code.isdigit() else pk)

    @property
    def lea_id(self) -> int:
        """The district's LocalEducationAgencyId: as configured, else its NCES id, else its key
        (Ed-Fi wants an integer; Tandem keeps no state id for a district)."""
        configured = str(self.district.settings.get("edfi_local_education_agency_id", ""))
        nces = self.district.nces_id
        return int(configured if configured.isdigit() else nces if nces.isdigit() else
                   self.district.pk)  # fmt: skip


def student_ref(unique_id: str) -> dict[str, str]:
    return {"studentUniqueId": unique_id}


def edorg_ref(edorg_id: int) -> dict[str, int]:
    return {"educationOrganizationId": edorg_id}


def program_ref(edorg_id: int, name: str) -> dict[str, Any]:
    return {"educationOrganizationId": edorg_id, "programName": name,
            "programTypeDescriptor": uri("ProgramTypeDescriptor", name)}  # fmt: skip


def iso(day: date | str | None) -> str | None:
    return day.isoformat() if isinstance(day, date) else day


def clean(resource: dict[str, Any]) -> dict[str, Any]:
    """The resource without empty values: the API leaves out what is not known."""
    return {k: v for k, v in resource.items() if v is not None and v != [] and v != ""}


def kept(record: ImportedProgram | None, key: str, derived: Any) -> Any:
    """What the imported record read for `key` (even nothing), else Tandem's own value: an
    export of an import writes back the source, not what Tandem made of it."""
    if record is not None and key in record.detail:
        return record.detail[key]
    return derived


def chunks(queryset: QuerySet[M], size: int = CHUNK) -> Iterator[list[M]]:
    """The rows in primary-key order, `size` at a time (keyset pages: each page is one query
    however deep in the table, and the caller adds its lookups per page, not per row)."""
    last = 0
    while True:
        page = list(queryset.filter(pk__gt=last).order_by("pk")[:size])
        if not page:
            return
        yield page
        last = page[-1].pk
        if len(page) < size:
            return
