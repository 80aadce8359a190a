"""What an Ed-Fi JSON export says against the Ed-Fi XML interchanges it was imported from: the
round trip's check, used by tests/interop/test_edfi_roundtrip.py and bench/edfi_roundtrip.py.

Compared, field by field: each student (unique id, names, birth date) and each special-education
and Section 504 program association (kind, begin and end dates, exit reasons and exit date,
disabilities with their order, setting, the IEP's and the 504's dates). Descriptors are compared
by code value, whatever their capitals. A record on one side only is a difference too.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from xml.etree.ElementTree import Element

from tandem.interop.edfi_export import read
from tandem.interop.edfi_xml import Source, children, code_value, text

STUDENT_PATHS = {"firstName": "Name/FirstName", "middleName": "Name/MiddleName",
                 "lastSurname": "Name/LastSurname", "preferredFirstName": "Name/PreferredFirstName",
                 "preferredLastSurname": "Name/PreferredLastSurname",
                 "birthDate": "BirthData/BirthDate"}  # fmt: skip
# XML element -> the API's field, for the program associations (descriptors marked by '#').
COMMON = {"EndDate": "endDate", "ReasonExited": "reasonExitedDescriptor#"}
SPED = {**COMMON, "SpecialEducationSetting": "specialEducationSettingDescriptor#",
        "SpecialEducationExitDate": "specialEducationExitDate",
        "SpecialEducationExitReason": "specialEducationExitReasonDescriptor#",
        "IEPBeginDate": "iepBeginDate", "IEPEndDate": "iepEndDate",
        "IEPReviewDate": "iepReviewDate", "LastEvaluationDate": "lastEvaluationDate"}  # fmt: skip
S504 = {**COMMON, "Section504Disability": "section504DisabilityDescriptor#",
        "Section504MeetingDate": "section504MeetingDate",
        "Section504EligibilityDecisionDate": "section504EligibilityDecisionDate"}  # fmt: skip
KINDS = {"StudentSpecialEducationProgramAssociation": ("iep", SPED),
         "StudentSection504ProgramAssociation": ("section_504", S504)}  # fmt: skip
RESOURCE_KINDS = {"studentSpecialEducationProgramAssociations": ("iep", SPED),
                  "studentSection504ProgramAssociations": ("section_504", S504)}  # fmt: skip


@dataclass(frozen=True)
class Difference:
    record: str  # "student 604821", "iep 604872 2021-08-30"
    field: str
    source: str
    export: str

    def __str__(self) -> str:
        return f"{self.record}: {self.field} is {self.source!r} in the source, {self.export!r} out"


Facts = dict[str, dict[str, str]]  # record -> field -> value ('' when absent)


def _code(value: str) -> str:
    return code_value(value).lower() if value else ""


def _disabilities_xml(el: Element) -> str:
    found = []
    for i, d in enumerate(children(el, "Disability"), start=1):
        order = text(d, "OrderOfDisability")
        found.append((int(order) if order.isdigit() else i, _code(text(d, "Disability"))))
    return "; ".join(f"{n}:{c}" for n, c in sorted(found))


def _disabilities_json(resource: dict[str, object]) -> str:
    items = resource.get("disabilities") or []
    assert isinstance(items, list)
    found = sorted((int(d.get("orderOfDisability") or i), _code(str(d["disabilityDescriptor"])))
                   for i, d in enumerate(items, start=1))  # fmt: skip
    return "; ".join(f"{n}:{c}" for n, c in found)


def source_facts(source: Source) -> tuple[Facts, Facts]:
    """(students, programs) as the XML interchanges say them."""
    students: Facts = {}
    for _file, _n, el in source.elements("InterchangeStudent"):
        if el.tag.endswith("}Student"):
            students[f"student {text(el, 'StudentUniqueId')}"] = {
                k: text(el, path) for k, path in STUDENT_PATHS.items()}  # fmt: skip
    programs: Facts = {}
    for _file, _n, el in source.elements("InterchangeStudentProgram"):
        name = el.tag.rsplit("}", 1)[-1]
        if name not in KINDS:
            continue
        kind, fields = KINDS[name]
        uid = text(el, "StudentReference/StudentIdentity/StudentUniqueId")
        facts = {api.rstrip("#"): (_code(text(el, xml)) if api.endswith("#") else text(el, xml))
                 for xml, api in fields.items()}  # fmt: skip
        if kind == "iep":
            facts["disabilities"] = _disabilities_xml(el)
        facts["programName"] = text(el, "ProgramReference/ProgramIdentity/ProgramName")
        programs[f"{kind} {uid} {text(el, 'BeginDate')}"] = facts
    return students, programs


def export_facts(archive: zipfile.ZipFile) -> tuple[Facts, Facts]:
    """(students, programs) as the JSON export says them."""
    students: Facts = {
        f"student {r['studentUniqueId']}": {k: str(r.get(k, "")) for k in STUDENT_PATHS}
        for r in read(archive, "students")
    }
    programs: Facts = {}
    for resource_name, (kind, fields) in RESOURCE_KINDS.items():
        for r in read(archive, resource_name):
            facts = {api.rstrip("#"): (_code(str(r.get(api.rstrip("#"), "")))
                                       if api.endswith("#") else str(r.get(api, "")))
                     for api in fields.values()}  # fmt: skip
            if kind == "iep":
                facts["disabilities"] = _disabilities_json(r)
            facts["programName"] = str(r["programReference"]["programName"])
            programs[f"{kind} {r['studentReference']['studentUniqueId']} {r['beginDate']}"] = facts
    return students, programs


def _compare(source: Facts, export: Facts) -> Iterator[Difference]:
    for record in sorted(source.keys() | export.keys()):
        if record not in export:
            yield Difference(record, "(the record)", "present", "absent")
        elif record not in source:
            yield Difference(record, "(the record)", "absent", "present")
        else:
            for name in sorted(source[record].keys() | export[record].keys()):
                a, b = source[record].get(name, ""), export[record].get(name, "")
                if a != b:
                    yield Difference(record, name, a, b)


def differences(source: Source, archive: zipfile.ZipFile) -> list[Difference]:
    """Every difference between the interchanges and the export; none is a clean round trip."""
    xml_students, xml_programs = source_facts(source)
    json_students, json_programs = export_facts(archive)
    return [*_compare(xml_students, json_students), *_compare(xml_programs, json_programs)]
