"""Word banks (.docx) in the 题库 dialect: paragraphs and table cells, read in document order.

Each paragraph is a line (split again at soft line breaks); a paragraph in Word's automatic
numbering gets the number Word shows in front of its text, so a numbered list of stems reads as
typed ``1.`` ``2.``. Table cells are read row by row, each merged cell once, so a bank written
in tables reads like one written in paragraphs. Places: ``题库.docx:段落 12:列 5`` for a body
paragraph, ``题库.docx:表格 1:第 2 行第 1 格第 1 段:列 5`` for a paragraph in a table.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from typing import Any

import docx
from docx.document import Document
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from quiz.banks.formats.base import FileReport
from quiz.banks.formats.dialect import Line, read_report
from quiz.banks.formats.dialect_writer import bank_lines
from quiz.banks.model import Bank
from quiz.texts import ArgValue, Term, args_of
from quiz.yamlsource import Problem

# Unpacked size past which a .docx is refused before parsing: a zip bomb expands a few
# kilobytes into gigabytes, and python-docx holds every part in memory.
MAX_UNPACKED = 256 * 1024 * 1024
_SILENT = ("", -1)
_P, _TABLE, _CONTROL, _T = qn("w:p"), qn("w:tbl"), qn("w:sdt"), qn("w:t")
_MARKS = {qn("w:tab"): "\t", qn("w:br"): "\n", qn("w:cr"): "\n", qn("w:noBreakHyphen"): "-"}
# python-docx's own paragraph text reads runs and links only (tracked insertions are lost) and
# costs two XPath queries a paragraph: a 10,000-question document took 12 s to read.
_RUN_HOLDERS = frozenset(
    qn(f"w:{tag}")
    for tag in ("r", "hyperlink", "ins", "smartTag", "fldSimple", "customXml", "sdt", "sdtContent")
)
_CHINESE = "零一二三四五六七八九十"
_CHINESE_FORMATS = frozenset(
    {"chineseCounting", "chineseCountingThousand", "chineseLegalSimplified", "ideographDigital"}
)


class DocxFormat:
    """Banks as Word documents in the 题库 dialect (docs/bank-format.md, "Word and text banks")."""

    name = "docx"
    extensions = (".docx",)

    def read(self, data: bytes, filename: str) -> FileReport:
        """Open the document safely, read its paragraphs and cells, then the dialect."""
        opened = _open(data)
        if isinstance(opened, tuple):
            code, args = opened
            return _refused(filename, code, args)
        walker = _Walker(opened)
        try:
            lines = list(walker.lines())
        except (ValueError, KeyError, IndexError):
            # python-docx trusts the tables it reads: a cell merged with no row above fails.
            return _refused(filename, "not_docx", {"reason": Term("fmt_damaged_docx")})
        return read_report(
            lines,
            filename,
            lambda number, column: f"{filename}:{walker.labels[number]}:列 {column}",
        )

    def write(self, bank: Bank) -> bytes:
        """The bank as a Word document: headings in Word's heading style, one paragraph a line."""
        document = docx.Document()
        heading = document.styles["Heading 2"].style_id
        # Inserting before one last paragraph is constant time; add_paragraph and style names
        # are looked up by scanning, which made a 10,000-question bank take minutes.
        end = document.add_paragraph()
        for line in bank_lines(bank):
            if line.text:
                paragraph = end.insert_paragraph_before(line.text)
                if line.heading:
                    paragraph._p.style = heading
        end._p.getparent().remove(end._p)
        out = io.BytesIO()
        document.save(out)
        return out.getvalue()


def _refused(filename: str, code: str, args: dict[str, ArgValue]) -> FileReport:
    """A file not read at all: its one problem, at the file."""
    problem = Problem(filename, 1, 1, "error", code, args_of(args), filename)
    return FileReport(filename, None, [problem])


def _open(data: bytes) -> Document | tuple[str, dict[str, ArgValue]]:
    """The document, or why it cannot be read: a code and its arguments."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return "not_docx", {"reason": Term("fmt_not_zip_docx")}
    if unpacked > MAX_UNPACKED:
        return "file_too_large", {
            "what": Term("fmt_unpacked_file"),
            "size": f"{unpacked // (1024 * 1024):,} MB",
            "limit": f"{MAX_UNPACKED // (1024 * 1024)} MB",
        }
    try:
        return docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError, SyntaxError, zipfile.BadZipFile):
        # SyntaxError covers lxml's XMLSyntaxError: a part that is not well-formed XML.
        return "not_docx", {"reason": Term("fmt_damaged_docx")}


class _Walker:
    """The document's lines in reading order, with the label of each paragraph number."""

    def __init__(self, document: Document) -> None:
        self.document = document
        self.labels: dict[int, str] = {}
        self.count = 0
        self.body = 0
        self.tables = 0
        self.numbering = _Numbering(document)

    def lines(self) -> Iterator[Line]:
        for block in _blocks(self.document.element.body):
            if block.tag == _P:
                self.body += 1
                yield from self.paragraph(block, f"段落 {self.body}")
            else:
                yield from self.table(Table(block, self.document))

    def table(self, table: Table) -> Iterator[Line]:
        self.tables += 1
        number = self.tables
        # Keyed by id() but holding each element, so no id is reused while the table is read.
        seen: dict[int, Any] = {}
        for row_index, row in enumerate(table.rows, start=1):
            cells: list[_Cell] = []
            for cell in row.cells:
                # A merged cell is repeated in every row and column it spans: read it once.
                if id(cell._tc) not in seen:
                    seen[id(cell._tc)] = cell._tc
                    cells.append(cell)
            for cell_index, cell in enumerate(cells, start=1):
                where = f"表格 {number}:第 {row_index} 行第 {cell_index} 格"
                paragraphs = 0
                for block in _blocks(cell._tc):
                    if block.tag == _P:
                        paragraphs += 1
                        yield from self.paragraph(block, f"{where}第 {paragraphs} 段")
                    else:
                        yield from self.table(Table(block, self.document))

    def paragraph(self, element: Any, label: str) -> Iterator[Line]:
        self.count += 1
        self.labels[self.count] = label
        text = _text(element)
        # An empty list paragraph still takes its number in Word, so it is counted all the same.
        shown = self.numbering.prefix(Paragraph(element, self.document))
        if not text.strip():
            shown = ""
        start = 0
        for index, part in enumerate(text.split("\n")):
            # Word's number belongs to the paragraph's first line, not the lines after a break.
            prefix = shown if index == 0 else ""
            yield Line(self.count, prefix + part, start, len(prefix))
            start += len(part) + 1


def _blocks(container: Any) -> Iterator[Any]:
    """The paragraphs and tables of a body or cell in order, inside content controls too."""
    for child in container.iterchildren(_P, _TABLE, _CONTROL):
        if child.tag == _CONTROL:
            content = child.find(qn("w:sdtContent"))
            if content is not None:
                yield from _blocks(content)
        else:
            yield child


def _text(element: Any) -> str:
    """A paragraph's text as Word shows it: runs, links and tracked insertions; tabs and line
    breaks as characters; not deleted text, text boxes or fields' hidden codes."""
    parts: list[str] = []
    for child in element.iterchildren():
        tag = child.tag
        if tag == _T:
            parts.append(child.text or "")
        elif tag in _MARKS:
            parts.append(_MARKS[tag])
        elif tag in _RUN_HOLDERS:
            parts.append(_text(child))
    return "".join(parts)


class _Numbering:
    """The numbers Word shows in front of list paragraphs, counted as Word counts them."""

    def __init__(self, document: Document) -> None:
        self.counters: dict[str, list[int]] = {}
        self.levels: dict[tuple[str, int], tuple[str, str, int] | None] = {}
        self.styles: dict[str | None, tuple[str, int] | None] = {}
        try:
            self.root: Any = document.part.numbering_part.element
        except (KeyError, NotImplementedError):
            self.root = None

    def prefix(self, paragraph: Paragraph) -> str:
        """The list number Word displays (``3.`` ``（二）``) and a space, or nothing."""
        found = self.list_of(paragraph)
        if found is None or self.root is None:
            return ""
        num_id, level = found
        formats = [self.level(num_id, index) for index in range(level + 1)]
        own = formats[-1]
        if own is None or own[0] in ("bullet", "none"):
            return ""
        counts = self.counters.setdefault(num_id, [0] * 9)
        counts[level] += 1
        counts[level + 1 :] = [0] * (8 - level)
        text = own[1]
        for index, spec in enumerate(formats):
            fmt, _, start = spec or ("decimal", "", 1)
            number = start + max(counts[index], 1) - 1
            text = text.replace(f"%{index + 1}", _format_number(number, fmt))
        return text + " "

    def list_of(self, paragraph: Paragraph) -> tuple[str, int] | None:
        """The list and level of a paragraph: its own, else its style's (or a base style's)."""
        found = _own_numbering(paragraph._p.pPr)
        if found is not _SILENT:
            return found
        # Resolving a style is slow in python-docx (a scan of every style), so once per style.
        style_id = paragraph._p.style
        if style_id not in self.styles:
            style: Any = paragraph.style
            found = _SILENT
            while style is not None and found is _SILENT:
                found = _own_numbering(style.element.pPr)
                style = style.base_style
            self.styles[style_id] = None if found is _SILENT else found
        return self.styles[style_id]

    def level(self, num_id: str, level: int) -> tuple[str, str, int] | None:
        """A level's number format, text pattern and start, from the numbering definitions."""
        key = (num_id, level)
        if key not in self.levels:
            abstract = _val(_child(self.root, "w:num", "w:numId", num_id), "w:abstractNumId")
            definition = _child(self.root, "w:abstractNum", "w:abstractNumId", abstract)
            lvl = _child(definition, "w:lvl", "w:ilvl", str(level))
            start = _val(lvl, "w:start") or "1"
            self.levels[key] = (
                None
                if lvl is None
                else (
                    _val(lvl, "w:numFmt") or "decimal",
                    _val(lvl, "w:lvlText") or f"%{level + 1}.",
                    int(start) if start.isdigit() else 1,
                )
            )
        return self.levels[key]


def _child(parent: Any, tag: str, attribute: str, value: str | None) -> Any:
    """The first ``tag`` child of ``parent`` whose ``attribute`` is ``value``, or None."""
    if parent is None or value is None:
        return None
    return next(
        (child for child in parent.iterchildren(qn(tag)) if child.get(qn(attribute)) == value),
        None,
    )


def _val(parent: Any, tag: str) -> str | None:
    """The ``w:val`` of ``parent``'s first ``tag`` child, or None."""
    child = parent.find(qn(tag)) if parent is not None else None
    return None if child is None else child.get(qn("w:val"))


def _own_numbering(properties: Any) -> tuple[str, int] | None:
    """The list (numId) and level a paragraph's or style's properties set: None for "not in a
    list" (numId 0 switches a style's list off), :data:`_SILENT` when they say nothing."""
    num_pr = properties.find(qn("w:numPr")) if properties is not None else None
    if num_pr is None:
        return _SILENT
    num_id = _val(num_pr, "w:numId")
    if num_id in (None, "0"):
        return None
    level = _val(num_pr, "w:ilvl") or "0"
    # Word has nine levels, 0 to 8.
    return num_id, min(int(level), 8) if level.isdigit() else 0


def _format_number(number: int, fmt: str) -> str:
    if fmt in ("upperLetter", "lowerLetter"):
        letter = chr(ord("A") + (number - 1) % 26)
        return letter if fmt == "upperLetter" else letter.lower()
    if fmt in _CHINESE_FORMATS and 0 < number < 100:
        tens, units = divmod(number, 10)
        words = (_CHINESE[tens] if tens > 1 else "") + ("十" if tens else "")
        return words + (_CHINESE[units] if units else "")
    return str(number)
