"""The US Treasury's ``sdnList`` XML (SDN and consolidated lists), parsed as published.

OFAC publishes its lists as one ``<sdnList>`` of ``<sdnEntry>`` elements
(``docs/input-format.md`` names the fields read). This module only parses:
each entry becomes an :class:`OfacEntry` (persons, entities, vessels and
aircraft alike), values as written; :mod:`.ofac_records` maps entries to
records. The file is read with expat in chunks, one entry held at a time, and
a document type declaration is refused (no entity expansion, no external
reference). Every problem names the line of the entry or of the XML error.
"""

from __future__ import annotations

import xml.parsers.expat
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

from liaison.core.errors import InvalidInput
from liaison.node.problems import Problem, has_control_character, report

ROOT = "sdnList"
ENTRY = "sdnEntry"
MAX_ENTRY_ELEMENTS = 10_000
"""An entry with more elements than this is refused (the largest published has a few hundred)."""
MAX_TEXT_CHARS = 4_096
"""Longest text of one element (remarks included)."""
_CHUNK = 64 * 1024

# Element names of an entry, without the publisher's namespace.
_FIELDS = frozenset({"uid", "firstName", "lastName", "title", "sdnType", "remarks"})


@dataclass(frozen=True, slots=True)
class OfacAka:
    """One alias (``<aka>``): ``kind`` is ``a.k.a.``, ``f.k.a.`` or ``n.k.a.``."""

    kind: str
    category: str
    first_name: str
    last_name: str


@dataclass(frozen=True, slots=True)
class OfacId:
    """One ``<id>`` row: a passport, a national id, but also "Gender" or a registration."""

    id_type: str
    number: str
    country: str


@dataclass(frozen=True, slots=True)
class OfacEntry:
    """One ``<sdnEntry>``, values as written.

    Attributes:
        line: Where the entry starts in the file.
        uid: OFAC's unique id of the entry.
        sdn_type: ``Individual``, ``Entity``, ``Vessel`` or ``Aircraft``.
        first_name: Given names (persons only; may be empty).
        last_name: The surname, or an entity's whole name.
        title: The position held, if given.
        akas: The aliases.
        dates_of_birth: As written (``1962``, ``08 Feb 1980``, ``circa 1970``...).
        ids: The identifier rows.
        nationalities: ``<nationality>`` countries, as written.
        citizenships: ``<citizenship>`` countries, as written.
        countries: Address countries, as written.
        programs: The sanctions programmes.
        vessel_flag: A vessel's ``<vesselInfo><vesselFlag>``, as written.
    """

    line: int
    uid: str
    sdn_type: str
    first_name: str = ""
    last_name: str = ""
    title: str = ""
    akas: tuple[OfacAka, ...] = ()
    dates_of_birth: tuple[str, ...] = ()
    ids: tuple[OfacId, ...] = ()
    nationalities: tuple[str, ...] = ()
    citizenships: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    programs: tuple[str, ...] = ()
    vessel_flag: str = ""

    @property
    def is_person(self) -> bool:
        """Whether the entry is an individual."""
        return self.sdn_type == "Individual"


@dataclass(slots=True)
class _Builder:
    """Collects one entry while expat walks it."""

    line: int
    fields: dict[str, str] = field(default_factory=dict)
    akas: list[OfacAka] = field(default_factory=list)
    dates: list[str] = field(default_factory=list)
    ids: list[OfacId] = field(default_factory=list)
    nationalities: list[str] = field(default_factory=list)
    citizenships: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    programs: list[str] = field(default_factory=list)
    group: dict[str, str] = field(default_factory=dict)
    elements: int = 0

    def entry(self) -> OfacEntry:
        return OfacEntry(
            line=self.line,
            uid=self.fields.get("uid", ""),
            sdn_type=self.fields.get("sdnType", ""),
            first_name=self.fields.get("firstName", ""),
            last_name=self.fields.get("lastName", ""),
            title=self.fields.get("title", ""),
            akas=tuple(self.akas),
            dates_of_birth=tuple(self.dates),
            ids=tuple(self.ids),
            nationalities=tuple(self.nationalities),
            citizenships=tuple(self.citizenships),
            countries=tuple(self.countries),
            programs=tuple(self.programs),
            vessel_flag=self.fields.get("vesselFlag", ""),
        )


class _Reader:
    """expat handlers: a stack of element names, one entry at a time."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.parser = xml.parsers.expat.ParserCreate(namespace_separator="}")
        self.parser.StartElementHandler = self._start
        self.parser.EndElementHandler = self._end
        self.parser.CharacterDataHandler = self._text
        self.parser.StartDoctypeDeclHandler = self._doctype
        self.parser.EntityDeclHandler = self._doctype
        self.stack: list[str] = []
        self.text: list[str] = []
        self.current: _Builder | None = None
        self.entries: list[OfacEntry] = []
        self.problems: list[Problem] = []

    def _fail(self, reason: str) -> None:
        problem = Problem(self.parser.CurrentLineNumber, "xml", reason)
        raise InvalidInput(report([problem], self.source))

    def _doctype(self, *_: object) -> None:
        self._fail("a document type declaration is not accepted")

    def _start(self, name: str, _attributes: dict[str, str]) -> None:
        local = name.rpartition("}")[2]
        if not self.stack and local != ROOT:
            self._fail(f"the root element is not <{ROOT}>")
        self.stack.append(local)
        self.text = []
        if local == ENTRY and len(self.stack) == 2:
            self.current = _Builder(self.parser.CurrentLineNumber)
        elif self.current is not None:
            self.current.elements += 1
            if self.current.elements > MAX_ENTRY_ELEMENTS:
                self._fail(f"an entry with more than {MAX_ENTRY_ELEMENTS} elements")
            if local in ("aka", "id", "nationality", "citizenship", "address"):
                self.current.group = {}

    def _text(self, data: str) -> None:
        if self.current is not None:
            self.text.append(data)
            if sum(map(len, self.text)) > MAX_TEXT_CHARS:
                self._fail(f"a value longer than {MAX_TEXT_CHARS} characters")

    def _end(self, name: str) -> None:
        local = self.stack.pop()
        value = " ".join("".join(self.text).split())
        self.text = []
        builder = self.current
        if builder is None:
            return
        if local == ENTRY and len(self.stack) == 1:
            self._finish(builder)
            return
        parent = self.stack[-1]
        if has_control_character(value):
            self.problems.append(Problem(self.parser.CurrentLineNumber, local, "control character"))
            return
        vessel_flag = parent == "vesselInfo" and local == "vesselFlag"
        if (parent == ENTRY and local in _FIELDS) or vessel_flag:
            builder.fields[local] = value
        elif parent in ("aka", "id", "nationality", "citizenship", "address"):
            builder.group[local] = value
        else:
            _close_group(builder, local, value)

    def _finish(self, builder: _Builder) -> None:
        entry = builder.entry()
        if not entry.uid:
            self.problems.append(Problem(entry.line, "uid", "missing"))
        elif not entry.sdn_type:
            self.problems.append(Problem(entry.line, "sdnType", "missing"))
        elif not (entry.last_name or entry.first_name):
            self.problems.append(Problem(entry.line, "lastName", "no name"))
        else:
            self.entries.append(entry)
        self.current = None


def _close_group(builder: _Builder, local: str, value: str) -> None:
    group = builder.group
    if local == "aka":
        kind, category = group.get("type", ""), group.get("category", "")
        first, last = group.get("firstName", ""), group.get("lastName", "")
        if first or last:
            builder.akas.append(OfacAka(kind, category, first, last))
    elif local == "id":
        number = group.get("idNumber", "")
        if number:
            builder.ids.append(OfacId(group.get("idType", ""), number, group.get("idCountry", "")))
    elif local in ("nationality", "citizenship", "address") and group.get("country"):
        target = {
            "nationality": builder.nationalities,
            "citizenship": builder.citizenships,
            "address": builder.countries,
        }[local]
        target.append(group["country"])
    elif local == "dateOfBirth" and value:
        builder.dates.append(value)
    elif local == "program" and value:
        builder.programs.append(value)


def parse_ofac(stream: BinaryIO, source: str) -> list[OfacEntry]:
    """Parse an OFAC ``sdnList`` XML document.

    Args:
        stream: The file, opened in binary mode (the XML declaration names
            the encoding).
        source: How to name the input in error messages.

    Returns:
        Every entry, in file order.

    Raises:
        InvalidInput: Malformed XML, a document type declaration, another
            root element, an entry without uid, type or name, an oversized
            entry or value (the message names lines, never values).
    """
    reader = _Reader(source)
    try:
        for chunk in _chunks(stream):
            reader.parser.Parse(chunk, False)
        reader.parser.Parse(b"", True)
    except xml.parsers.expat.ExpatError as error:
        problem = Problem(error.lineno, "xml", xml.parsers.expat.ErrorString(error.code))
        raise InvalidInput(report([problem], source)) from None
    if not reader.entries and not reader.problems:
        problem = Problem(1, "xml", f"no <{ENTRY}> in the document")
        raise InvalidInput(report([problem], source))
    if reader.problems:
        raise InvalidInput(report(reader.problems, source))
    return reader.entries


def _chunks(stream: BinaryIO) -> Iterator[bytes]:
    try:
        while chunk := stream.read(_CHUNK):
            yield chunk
    except OSError as error:
        raise InvalidInput(f"cannot read the file ({error.strerror})") from None
