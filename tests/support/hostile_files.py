"""
The hostile workbooks of the hardening round (issue 14), each made from a
good workbook: tests/kpi_site/test_upload_budget.py sends them to both uploads,
benchmarks/hostile_uploads.py and benchmarks/load_test.py time them.
"""

import re
import zipfile
from io import BytesIO

SHEET_PART = "xl/worksheets/sheet1.xml"
LAUGHS = ('<!DOCTYPE lolz [<!ENTITY lol "lol">'
          + "".join(f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10 if n > 1 else "&lol;" * 10}">'
                    for n in range(1, 10)) + "]>")


def rewrite(xlsx, part, change):
    """`xlsx` with `part` changed by change(text) -> text or bytes."""
    source = zipfile.ZipFile(BytesIO(xlsx))
    output = BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == part:
                data = change(data.decode())
                data = data.encode() if isinstance(data, str) else data
            target.writestr(info.filename, data)
    return output.getvalue()


def after_declaration(text, inserted):
    declaration = re.match(r"<\?xml[^>]*\?>", text)
    end = declaration.end() if declaration else 0
    return text[:end] + inserted + text[end:]


def corrupt_deflate(xlsx, part):
    """`xlsx` whose `part` has its compressed bytes overwritten halfway."""
    data = bytearray(xlsx)
    info = zipfile.ZipFile(BytesIO(xlsx)).getinfo(part)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for offset in range(info.compress_size // 3, info.compress_size // 3 + 16):
        data[start + offset] ^= 0xA5
    return bytes(data)


HOSTILE = {
    # A 7 KB file that took 164 s and 3.4 GB to answer.
    "a row numbered 1048576": lambda xlsx: rewrite(xlsx, SHEET_PART, lambda text: text.replace(
        "</sheetData>", '<row r="1048576"><c r="A1048576" s="0"/></row></sheetData>')),
    # 55 s: openpyxl makes a cell for each of a million merged cells.
    "a merged range to row 100200": lambda xlsx: rewrite(xlsx, SHEET_PART, lambda text: (
        text.replace("</mergeCells>", '<mergeCell ref="A200:J100200"/></mergeCells>')
        if "</mergeCells>" in text else text.replace(
            "</sheetData>", '</sheetData><mergeCells><mergeCell ref="A200:J100200"/></mergeCells>'))),
    "a DOCTYPE": lambda xlsx: rewrite(xlsx, SHEET_PART, lambda text: after_declaration(
        text, '<!DOCTYPE worksheet [<!ENTITY name "value">]>')),
    "billion laughs": lambda xlsx: rewrite(xlsx, SHEET_PART, lambda text: after_declaration(
        text, LAUGHS).replace("</sheetData>", '<row r="999"><c r="A999" t="inlineStr"><is><t>'
                              '&lol9;</t></is></c></row></sheetData>')),
    "truncated XML": lambda xlsx: rewrite(xlsx, SHEET_PART, lambda text: text[:len(text) // 2]),
    "a corrupt deflate stream": lambda xlsx: corrupt_deflate(xlsx, SHEET_PART),
}
