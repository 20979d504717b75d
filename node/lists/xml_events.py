"""A hardened, streaming XML reader: each record element as a small tree with its line.

Published lists are XML files of many small records. This reader feeds the
bytes to expat in chunks and hands back each element named as a record (with
everything inside it) as an :class:`Element`, then forgets it, so memory is
bounded by the largest record, not by the file. A document type declaration
is refused (no entity can be declared, so no "billion laughs" and no
external entity), and so is text longer than :data:`MAX_TEXT_CHARS`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from xml.parsers import expat

from liaison.core.errors import InvalidInput
from liaison.node.problems import MAX_LINE_CHARS, Problem, report

MAX_TEXT_CHARS = MAX_LINE_CHARS
"""Longest text one element may hold."""

MAX_RECORD_ELEMENTS = 10_000
"""Most elements one record may hold (a UN record has a few dozen)."""


@dataclass(slots=True)
class Element:
    """One element: its tag, its text (stripped), its children, its first line."""

    tag: str
    line: int
    text: str = ""
    children: list[Element] = field(default_factory=list)

    def all(self, tag: str) -> list[Element]:
        """The children with this tag, in file order."""
        return [child for child in self.children if child.tag == tag]

    def text_of(self, tag: str) -> str:
        """The text of the first child with this tag, or ``""``."""
        return next((child.text for child in self.children if child.tag == tag), "")

    def texts_of(self, tag: str) -> list[str]:
        """The non-empty texts of every child with this tag."""
        return [child.text for child in self.children if child.tag == tag and child.text]


class _Refused(Exception):
    """Raised inside an expat handler; carries the problem out of the parser."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.reason)
        self.problem = problem


class _Builder:
    """Expat handlers building the tree of each record element."""

    def __init__(self, parser: expat.XMLParserType, record_tags: frozenset[str]) -> None:
        self._parser = parser
        self._record_tags = record_tags
        self._stack: list[Element] = []
        self._texts: list[list[str]] = []
        self._count = 0
        self.done: list[Element] = []

    def start(self, tag: str, _attributes: dict[str, str]) -> None:
        line = self._parser.CurrentLineNumber
        if not self._stack and tag not in self._record_tags:
            return
        self._count = 0 if not self._stack else self._count + 1
        if self._count > MAX_RECORD_ELEMENTS:
            raise _Refused(
                Problem(line, "xml", f"a record with over {MAX_RECORD_ELEMENTS} elements")
            )
        element = Element(tag, line)
        if self._stack:
            self._stack[-1].children.append(element)
        self._stack.append(element)
        self._texts.append([])

    def end(self, _tag: str) -> None:
        if not self._stack:
            return
        element = self._stack.pop()
        element.text = "".join(self._texts.pop()).strip()
        if not self._stack:
            self.done.append(element)

    def text(self, data: str) -> None:
        if not self._texts:
            return
        parts = self._texts[-1]
        parts.append(data)
        if sum(map(len, parts)) > MAX_TEXT_CHARS:
            line = self._parser.CurrentLineNumber
            raise _Refused(Problem(line, "xml", f"a text longer than {MAX_TEXT_CHARS} characters"))

    def doctype(self, *_args: object) -> None:
        line = self._parser.CurrentLineNumber
        raise _Refused(Problem(line, "xml", "a document type declaration (refused: entities)"))


def records(chunks: Iterable[bytes], record_tags: frozenset[str], source: str) -> Iterator[Element]:
    """Yield each element whose tag is in ``record_tags``, with what it holds.

    Args:
        chunks: The file's bytes, in pieces (the encoding comes from the XML
            declaration, UTF-8 by default).
        record_tags: The tags of the record elements (``INDIVIDUAL``...);
            they are never nested in one another.
        source: How to name the input in error messages.

    Raises:
        InvalidInput: The XML is malformed, declares a document type, or
            holds an overlong text or record (the message names the line).
    """
    parser = expat.ParserCreate()
    builder = _Builder(parser, record_tags)
    parser.StartElementHandler = builder.start
    parser.EndElementHandler = builder.end
    parser.CharacterDataHandler = builder.text
    parser.StartDoctypeDeclHandler = builder.doctype
    parser.EntityDeclHandler = builder.doctype
    try:
        for chunk in chunks:
            parser.Parse(chunk, False)
            yield from _drain(builder)
        parser.Parse(b"", True)
        yield from _drain(builder)
    except _Refused as refused:
        raise InvalidInput(report([refused.problem], source)) from None
    except expat.ExpatError as error:
        # expat's messages are fixed texts ("mismatched tag"), never the data.
        reason = f"not well-formed XML ({expat.ErrorString(error.code)})"
        raise InvalidInput(report([Problem(error.lineno, "xml", reason)], source)) from None


def _drain(builder: _Builder) -> Iterator[Element]:
    while builder.done:
        yield builder.done.pop(0)
