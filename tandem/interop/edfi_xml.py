"""Reading Ed-Fi XML interchanges (Data Standard 5.x) as districts export them: streamed.

No Django here. A folder or a zip of `.xml` files (any names, any sub-folders such as
`Descriptors/`) is sorted by each file's root element (`InterchangeStudent`,
`InterchangeStudentProgram`, ...), so a district need not rename its export. Each interchange is
read with `iterparse`, one top-level element at a time, cleared once read: memory stays flat
however many students the file holds.

What the elements mean for Tandem is `tandem.interop.edfi_people`'s and `edfi_programs`' business.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import IO
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

from tandem.interop.oneroster import RowError


class EdfiFileError(Exception):
    """The files cannot be read at all: not a folder or zip, no Ed-Fi interchange in it."""


def local(tag: str) -> str:
    """The element's name without its namespace (Ed-Fi 5.2's is http://ed-fi.org/5.2.0)."""
    return tag.rsplit("}", 1)[-1]


class Source:
    """A folder or a zip of Ed-Fi interchange files, found by their root element."""

    def __init__(self, path: str | Path | IO[bytes]) -> None:
        self._zip: zipfile.ZipFile | None = None
        self._folder: Path | None = None
        entries: list[str]
        if isinstance(path, (str, Path)) and Path(path).is_dir():
            self._folder = Path(path)
            entries = [str(p.relative_to(self._folder)) for p in sorted(self._folder.rglob("*"))
                       if p.is_file()]  # fmt: skip
        else:
            if isinstance(path, (str, Path)) and not Path(path).exists():
                raise EdfiFileError(f"{path} is neither a folder nor a zip file that exists")
            try:
                self._zip = zipfile.ZipFile(path)
            except (zipfile.BadZipFile, OSError) as error:
                raise EdfiFileError(f"not a zip file of Ed-Fi XML ({error})") from error
            entries = sorted(n for n in self._zip.namelist() if not n.endswith("/"))
        self.files: dict[str, list[str]] = {}  # interchange (root name) -> entries
        for entry in entries:
            base = entry.replace("\\", "/").rsplit("/", 1)[-1]
            if not base.lower().endswith(".xml") or base.startswith("."):
                continue
            root = self._root_of(entry)
            if root and root.startswith("Interchange"):
                self.files.setdefault(root, []).append(entry)
        if "InterchangeStudent" not in self.files:
            raise EdfiFileError(
                "no Student interchange (an XML file whose root is InterchangeStudent): "
                "this is not an Ed-Fi export"
            )

    def _open(self, entry: str) -> IO[bytes]:
        if self._folder is not None:
            return open(self._folder / entry, "rb")
        assert self._zip is not None
        return self._zip.open(entry)

    def _root_of(self, entry: str) -> str | None:
        try:
            with self._open(entry) as handle:
                for _event, element in iterparse(handle, events=("start",)):
                    return local(element.tag)
        except (ParseError, DefusedXmlException):
            return None
        return None

    def has(self, interchange: str) -> bool:
        return interchange in self.files

    def elements(self, interchange: str) -> Iterator[tuple[str, int, Element]]:
        """(file name, ordinal of the element in its file from 1, element) for each top-level
        element of every file of the interchange; a file that is not well-formed raises
        EdfiFileError naming it and the line."""
        for entry in self.files.get(interchange, []):
            name = entry.replace("\\", "/").rsplit("/", 1)[-1]
            depth, number, root = 0, 0, None
            try:
                with self._open(entry) as handle:
                    for event, element in iterparse(handle, events=("start", "end")):
                        if event == "start":
                            root = element if root is None else root
                            depth += 1
                            continue
                        depth -= 1
                        if depth == 1 and root is not None:
                            number += 1
                            yield name, number, element
                            root.clear()  # the elements read so far: memory stays flat
            except ParseError as error:
                raise EdfiFileError(f"{name} is not well-formed XML: {error}") from error
            except DefusedXmlException as error:  # a DTD or entities: refused, never expanded
                raise EdfiFileError(f"{name} declares a DTD or entities: {error!r}") from error

    def close(self) -> None:
        if self._zip is not None:
            self._zip.close()


def text(element: Element, path: str) -> str:
    """The stripped text at `path` (names without namespace, separated by '/'); '' if absent."""
    found: Element | None = element
    for step in path.split("/"):
        found = (
            next((c for c in found if local(c.tag) == step), None) if found is not None else None
        )
    return (found.text or "").strip() if found is not None else ""


def children(element: Element, name: str) -> list[Element]:
    return [c for c in element if local(c.tag) == name]


def code_value(descriptor: str) -> str:
    """A descriptor's code value: 'uri://ed-fi.org/DisabilityDescriptor#Autism' -> 'Autism'."""
    return descriptor.rsplit("#", 1)[-1].strip()


def parse_date(value: str, path: str) -> date | None:
    """xs:date (2021-08-30); empty is None; anything else a RowError on `path`."""
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        raise RowError(path, value, "not a date: expected YYYY-MM-DD") from None


def parse_bool(value: str) -> bool | None:
    """xs:boolean: 1/true and 0/false; empty is None."""
    lowered = value.strip().lower()
    if lowered in ("1", "true"):
        return True
    if lowered in ("0", "false"):
        return False
    return None
