"""
What an uploaded workbook may cost before anything parses it: every import of
an XLSX (the entry sheet, the plan workbook, any later one) opens it through
open_workbook() with its Budget.

An XLSX is a zip of XML parts, and openpyxl trusts both: one row numbered
1048576 makes it fill a million rows, one merged range A200:J100200 a million
cells, a DTD expands entities, a lying zip header inflates without end. So,
before openpyxl sees a byte, the file is read within its budget:

- its size, the number of its parts and their size once decompressed (counted
  as they inflate, not as the zip's header claims);
- every XML part parsed once by expat, refusing any DOCTYPE (so no entity is
  ever declared, let alone expanded) and anything that is not well-formed;
- every worksheet's real extent: the row and column of each cell, and each
  merged or linked range (openpyxl makes a cell for every cell of those),
  against what a document of ours could hold;
- a deadline checked as the parts inflate, after openpyxl has read the file,
  and by the caller between rows (Budget.check_time).

A refusal is an UploadRefused with a Korean message the page shows.
"""

import time
import zipfile
import zlib
from dataclasses import dataclass, field
from io import BytesIO
from xml.parsers import expat

from django.conf import settings
from django.contrib.humanize.templatetags.humanize import intcomma
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.cell import coordinate_from_string, column_index_from_string

CHUNK = 64 * 1024
# openpyxl makes a cell for every cell of these ranges.
EXPANDED_RANGES = {"mergeCell", "hyperlink"}
XML_PARTS = (".xml", ".rels", ".vml")


class UploadRefused(Exception):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


@dataclass
class Budget:
    """What one upload may take. The limits are far above any real document
    of ours (the 500-indicator plan's workbook: 140 KB, 16 parts, 1.3 MB of
    XML, 530 rows, 21 columns) and far below what hurts the server."""

    max_bytes: int
    max_parts: int = 100
    max_xml_bytes: int = 25 * 1024 * 1024
    max_rows: int = 5000
    max_columns: int = 100
    max_cells: int = 200_000  # in all sheets, merged and linked ranges counted cell by cell
    max_ranges: int = 20_000
    seconds: float = field(default_factory=lambda: settings.UPLOAD_SECONDS)
    started: float = field(default_factory=time.monotonic)

    def check_time(self):
        if time.monotonic() - self.started > self.seconds:
            raise UploadRefused(_("파일을 읽는 데 너무 오래 걸립니다(최대 %(seconds)s초). 내려받은 "
                                  "양식에 값만 넣어 올리세요.") % {"seconds": f"{self.seconds:g}"})


def entry_sheet_budget():
    return Budget(max_bytes=settings.ENTRY_SHEET_MAX_BYTES)


def plan_workbook_budget():
    return Budget(max_bytes=settings.PLAN_WORKBOOK_MAX_BYTES)


def too_large(limit):
    return _("파일이 너무 큽니다(최대 %(size)s).") % {"size": filesizeformat(limit)}


def unreadable():
    return _("엑셀(xlsx) 파일을 읽을 수 없습니다. 손상되었거나 xlsx 형식이 아닙니다. 엑셀에서 "
             "xlsx로 다시 저장해 올리세요.")


def open_workbook(file, budget, *, read_only=False, data_only=False):
    """The openpyxl workbook of `file` (an upload or an open file), once it is
    within `budget`; raises UploadRefused. A read-only workbook keeps its
    file open: close() it when done."""
    if hasattr(file, "seek"):
        file.seek(0)
    data = file.read(budget.max_bytes + 1)
    if len(data) > budget.max_bytes:
        raise UploadRefused(too_large(budget.max_bytes))
    if not data.startswith(b"PK\x03\x04"):
        raise UploadRefused(unreadable())
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            _check_parts(archive, budget)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, OSError,
            NotImplementedError, RuntimeError, ValueError):
        raise UploadRefused(unreadable()) from None
    try:
        workbook = load_workbook(BytesIO(data), read_only=read_only, data_only=data_only)
    except Exception:  # openpyxl raises many kinds for a file it cannot read
        raise UploadRefused(unreadable()) from None
    budget.check_time()
    return workbook


def _check_parts(archive, budget):
    parts = archive.infolist()
    if len(parts) > budget.max_parts:
        raise UploadRefused(_("엑셀 파일의 구성 요소가 너무 많습니다(최대 %(count)s개).")
                            % {"count": budget.max_parts})
    inflated = Inflated(budget)
    extent = Extent(budget)
    for part in parts:
        if part.filename.lower().endswith(XML_PARTS):
            _check_xml(archive, part, inflated, extent)
        else:  # images and the like: only their size counts
            with archive.open(part) as stream:
                while chunk := stream.read(CHUNK):
                    inflated.add(len(chunk))


class Inflated:
    """Bytes decompressed so far, against the budget and its deadline."""

    def __init__(self, budget):
        self.budget = budget
        self.total = 0

    def add(self, count):
        self.total += count
        if self.total > self.budget.max_xml_bytes:
            raise UploadRefused(_("압축을 푼 내용이 너무 큽니다(최대 %(size)s).")
                                % {"size": filesizeformat(self.budget.max_xml_bytes)})
        self.budget.check_time()


def _check_xml(archive, part, inflated, extent):
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartDoctypeDeclHandler = _refuse_doctype
    parser.EntityDeclHandler = _refuse_doctype
    sheet = extent.sheet(part.filename)

    def first_element(name, attributes):
        # Only a worksheet's cells and ranges are counted; other parts are
        # only parsed (well-formed, no DTD).
        if _local(name) == "worksheet":
            parser.StartElementHandler = sheet.element
        else:
            parser.StartElementHandler = None

    parser.StartElementHandler = first_element
    try:
        with archive.open(part) as stream:
            while chunk := stream.read(CHUNK):
                inflated.add(len(chunk))
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
    except expat.ExpatError:
        raise UploadRefused(_("엑셀 파일의 내용(XML)이 손상되었습니다: %(part)s. 엑셀에서 xlsx로 "
                              "다시 저장해 올리세요.") % {"part": part.filename}) from None


def _refuse_doctype(*args):
    raise UploadRefused(_("문서 형식 선언(DOCTYPE)이나 엔터티가 든 파일은 받지 않습니다. 엑셀에서 "
                          "xlsx로 다시 저장해 올리세요."))


def _local(name):
    return name.rpartition(":")[2]


class Extent:
    """The cells of every worksheet, as openpyxl would make them."""

    def __init__(self, budget):
        self.budget = budget
        self.cells = 0
        self.ranges = 0

    def sheet(self, name):
        return SheetExtent(self, name)

    def count(self, cells):
        self.cells += cells
        if self.cells > self.budget.max_cells:
            raise UploadRefused(_("시트의 칸이 너무 많습니다(최대 %(count)s칸).")
                                % {"count": intcomma(self.budget.max_cells)})


class SheetExtent:
    def __init__(self, extent, name):
        self.extent = extent
        self.budget = extent.budget
        self.name = name
        self.row = 0
        self.column = 0

    def element(self, name, attributes):
        local = _local(name)
        if local == "row":
            self.row = self._number(attributes.get("r"), self.row + 1)
            self.column = 0
            self._within(self.row, 1, _("%(row)s행") % {"row": self.row})
        elif local == "c":
            reference = attributes.get("r")
            if reference:
                row, self.column = self._cell(reference)
            else:
                row, self.column = self.row, self.column + 1
            self._within(row, self.column, reference or "")
            self.extent.count(1)
        elif local in EXPANDED_RANGES and attributes.get("ref"):
            self._range(attributes["ref"])

    def _range(self, reference):
        self.extent.ranges += 1
        if self.extent.ranges > self.budget.max_ranges:
            raise UploadRefused(_("병합된 셀이나 링크가 너무 많습니다(최대 %(count)s개).")
                                % {"count": intcomma(self.budget.max_ranges)})
        first, _colon, last = reference.partition(":")
        top, left = self._cell(first)
        bottom, right = self._cell(last) if last else (top, left)
        self._within(max(top, bottom), max(left, right), reference)
        self.extent.count((abs(bottom - top) + 1) * (abs(right - left) + 1))

    def _cell(self, reference):
        try:
            letters, row = coordinate_from_string(reference.replace("$", ""))
            return row, column_index_from_string(letters)
        except ValueError:
            raise UploadRefused(_("시트에 읽을 수 없는 칸 주소가 있습니다: %(reference)s")
                                % {"reference": reference[:20]}) from None

    def _number(self, text, default):
        if text is None:
            return default
        try:
            return int(text)
        except ValueError:
            raise UploadRefused(_("시트에 읽을 수 없는 행 번호가 있습니다: %(row)s")
                                % {"row": text[:20]}) from None

    def _within(self, row, column, reference):
        if row > self.budget.max_rows:
            raise UploadRefused(_("시트가 너무 깁니다: %(reference)s. 한 시트는 %(rows)s행까지 "
                                  "읽습니다. 빈 행이나 병합이 아래까지 이어지지 않았는지 확인하세요.")
                                % {"reference": reference[:30],
                                   "rows": intcomma(self.budget.max_rows)})
        if column > self.budget.max_columns:
            raise UploadRefused(_("시트가 너무 넓습니다: %(reference)s. 한 시트는 %(columns)s열까지 "
                                  "읽습니다.") % {"reference": reference[:30],
                                              "columns": self.budget.max_columns})
