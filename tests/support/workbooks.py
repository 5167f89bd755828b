"""The plan workbook as a user edits it in Excel before uploading it again."""

from io import BytesIO

from openpyxl import load_workbook

from reports import layout
from reports.document import gather
from reports.xlsx import render_xlsx


def typed_on_summary(institution, measurement, typed, year=2024):
    """The year's workbook as exported, with `typed` ({column key: value})
    typed on the 총괄표 row of the indicator `measurement`: (the file's
    bytes, that row's number)."""
    workbook = load_workbook(BytesIO(render_xlsx(gather(institution, year))))
    sheet = workbook[layout.SUMMARY]
    number = {key: index for index, key in enumerate(layout.SUMMARY_COLUMNS, start=1)}
    row = next(cell.row for cell in sheet["D"] if cell.value == measurement)
    for key, value in typed.items():
        sheet.cell(row, number[key], value)
    output = BytesIO()
    workbook.save(output)
    return output.getvalue(), row


def edit(workbook_bytes, change):
    """The workbook after `change(workbook)`, as a file to upload."""
    workbook = load_workbook(BytesIO(workbook_bytes))
    change(workbook)
    output = BytesIO()
    workbook.save(output)
    output.seek(0)
    return output
