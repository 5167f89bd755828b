"""Evidence (증빙): only the formats the institution works in, checked by
content, within a size limit, stored outside the static root, served as a
download to readers, and removable only while the quarter is open."""

import os
import zipfile
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from goals import entry, evidence_files
from goals.models import Evidence, Submission
from tests.support.entry_fixtures import (approver, care, entry_url, other_staff, outsourcing,  # noqa: F401
                                  staff)

pytestmark = pytest.mark.django_db


def zipped(members):
    output = BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return output.getvalue()


def xlsx():
    output = BytesIO()
    Workbook().save(output)
    return output.getvalue()


DOCX = zipped({"[Content_Types].xml": "<Types/>", "word/document.xml": "<w:document/>"})
HWPX = zipped({"mimetype": "application/hwp+zip", "Contents/section0.xml": "<hs:sec/>"})
GOOD = {
    "보고서.pdf": b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n",
    "현장 사진.png": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
    "사진.JPG": b"\xff\xd8\xff\xe0\x00\x10JFIF\x00",
    "사진2.jpeg": b"\xff\xd8\xff\xdb\x00\x43",
    "결과보고.hwp": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64,
    "결과보고.hwpx": HWPX,
    "실적표.xlsx": xlsx(),
    "회의록.docx": DOCX,
    # Issue 13: what offices use daily besides.
    "실적표.xls": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64,
    "발표.ppt": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64,
    "발표.pptx": zipped({"[Content_Types].xml": "<Types/>", "ppt/presentation.xml": "<p/>"}),
    "사진 모음.zip": zipped({"사진1.jpg": "x", "사진2.jpg": "y"}),
}
BAD = {
    "악성.exe": (b"MZ\x90\x00", "파일만 올릴 수 있습니다"),
    "페이지.html": (b"<html><script>alert(1)</script>", "파일만 올릴 수 있습니다"),
    "가짜.pdf": (b"MZ\x90\x00\x03\x00", "파일 내용이 pdf 형식이 아닙니다"),
    "가짜.png": (b"<svg onload=alert(1)>", "파일 내용이 png 형식이 아닙니다"),
    "가짜.hwp": (b"%PDF-1.7", "파일 내용이 hwp 형식이 아닙니다"),
    "문서인척.xlsx": (DOCX, "파일 내용이 xlsx 형식이 아닙니다"),
    "빈압축.docx": (zipped({"readme.txt": "x"}), "파일 내용이 docx 형식이 아닙니다"),
    "압축.hwpx": (zipped({"mimetype": "application/zip"}), "파일 내용이 hwpx 형식이 아닙니다"),
    "깨진.xlsx": (b"PK\x03\x04 not really a zip", "파일 내용이 xlsx 형식이 아닙니다"),
    "빈파일.pdf": (b"", "빈 파일입니다."),
    "가짜.pptx": (DOCX, "파일 내용이 pptx 형식이 아닙니다"),
    "가짜.xls": (b"%PDF-1.7", "파일 내용이 xls 형식이 아닙니다"),
    "깨진.zip": (b"PK\x03\x04 not really a zip", "파일 내용이 zip 형식이 아닙니다"),
    "너무많은.zip": (zipped({f"{n}.txt": "x" for n in range(1001)}),
                   "압축 파일에 든 파일이 너무 많거나 너무 큽니다(최대 1000개"),
}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def upload_url(program, quarter=1):
    return f"/jbsss/2024/entry/{quarter}/{program.pk}/evidence/"


def send(client, program, name, content, key=""):
    return client.post(upload_url(program), {
        f"e{program.pk}-file": SimpleUploadedFile(name, content),
        f"e{program.pk}-key": key})


@pytest.mark.parametrize("name", GOOD)
def test_the_institutions_formats_are_taken(client, staff, outsourcing, media, name):
    client.force_login(staff)
    response = send(client, outsourcing, name, GOOD[name])
    assert response.status_code == 302, response.content.decode()
    evidence = Evidence.objects.get(program=outsourcing)
    assert evidence.name == name
    assert evidence.size == len(GOOD[name])
    assert evidence.uploaded_by == staff
    assert evidence.content_type == evidence_files.CONTENT_TYPES[name.rsplit(".")[1].lower()]
    path = evidence.file.path
    assert path.startswith(str(media)) and name not in path  # our own name, under MEDIA_ROOT


@pytest.mark.parametrize("name", ["보고서.pdf.", "보고서.pdf . ", "보고서.PDF.."])
def test_a_name_ending_in_dots_or_spaces_is_its_clean_name(client, staff, outsourcing, name):
    # The check read the clean name's extension, the content type the raw one's: a 500.
    client.force_login(staff)
    assert send(client, outsourcing, name, GOOD["보고서.pdf"]).status_code == 302
    evidence = Evidence.objects.get(program=outsourcing)
    assert evidence.name == name.rstrip(". ")
    assert evidence.content_type == "application/pdf"


@pytest.mark.parametrize("name", BAD)
def test_anything_else_is_refused_beside_the_field(client, staff, outsourcing, name):
    client.force_login(staff)
    content, message = BAD[name]
    response = send(client, outsourcing, name, content)
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert f'aria-describedby="id_e{outsourcing.pk}-file_helptext id_e{outsourcing.pk}-file_error"' \
        in page
    assert not Evidence.objects.exists()


def test_the_size_limit_comes_from_the_settings(client, settings, staff, outsourcing):
    settings.EVIDENCE_MAX_BYTES = 1024
    client.force_login(staff)
    response = send(client, outsourcing, "큰 보고서.pdf", b"%PDF-1.7\n" + b"0" * 1100)
    assert "파일이 너무 큽니다(최대 1.0\xa0KB)" in response.content.decode()
    assert send(client, outsourcing, "작은 보고서.pdf", b"%PDF-1.7\n").status_code == 302


def test_the_shown_name_is_cleaned():
    assert evidence_files.clean_name("..\\..\\windows/시스템\x00<결과>.pdf") == "시스템_결과_.pdf"
    assert evidence_files.clean_name("  보고서\n 최종 .pdf ") == "보고서 최종 .pdf"
    long = "가" * 300 + ".hwpx"
    assert evidence_files.clean_name(long) == "가" * 195 + ".hwpx"


def test_evidence_of_a_value_and_its_download(client, staff, outsourcing, approver):
    unit = outsourcing.unit_projects.order_by("order").first()
    client.force_login(staff)
    send(client, outsourcing, "점검 결과.pdf", GOOD["보고서.pdf"], key=f"u{unit.pk}")
    evidence = Evidence.objects.get()
    assert evidence.unit_project == unit
    page = client.get(entry_url()).content.decode()
    assert "점검 결과.pdf" in page and unit.name in page
    client.force_login(approver)  # any reader of the institution
    response = client.get(f"/evidence/{evidence.pk}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;")
    assert b"".join(response.streaming_content) == GOOD["보고서.pdf"]


def test_a_key_of_another_program_is_forbidden(client, staff, outsourcing, care):
    client.force_login(staff)
    their_unit = care.unit_projects.first()
    response = send(client, outsourcing, "a.pdf", GOOD["보고서.pdf"], key=f"u{their_unit.pk}")
    assert response.status_code == 403
    assert send(client, care, "a.pdf", GOOD["보고서.pdf"]).status_code == 403
    assert not Evidence.objects.exists()


def test_evidence_changes_only_while_the_quarter_is_open(client, staff, outsourcing, approver,
                                                         django_capture_on_commit_callbacks):
    client.force_login(staff)
    send(client, outsourcing, "보고서.pdf", GOOD["보고서.pdf"])
    evidence = Evidence.objects.get()
    stored_file = evidence.file.path
    Submission.objects.update_or_create(program=outsourcing, quarter=1,
                                        defaults={"status": "submitted"})
    response = client.post(f"/evidence/{evidence.pk}/delete/", follow=True)
    assert "제출한 분기입니다" in response.content.decode()
    response = send(client, outsourcing, "추가.pdf", GOOD["보고서.pdf"])
    assert response.status_code == 400 and "제출한 분기입니다" in response.content.decode()
    Submission.objects.filter(program=outsourcing).update(status="approved")
    response = client.post(f"/evidence/{evidence.pk}/delete/", follow=True)
    assert "승인된 분기입니다" in response.content.decode()
    assert Evidence.objects.count() == 1
    Submission.objects.filter(program=outsourcing).update(status="draft")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/evidence/{evidence.pk}/delete/", follow=True)
    assert "지웠습니다" in response.content.decode()
    assert not Evidence.objects.exists()
    assert evidence.history.first().history_type == "-"
    assert evidence.history.first().history_user == staff
    assert not os.path.exists(stored_file)


def test_a_direct_call_checks_the_file_too(staff, outsourcing):
    with pytest.raises(entry.Refused) as refused:
        entry.add_evidence(staff, outsourcing, 1, SimpleUploadedFile("x.pdf", b"GIF89a"))
    assert refused.value.field == "file"


class UnreadBody(BytesIO):
    """A request body that records whether anything read it."""

    read_at_all = False

    def read(self, *args):
        type(self).read_at_all = True
        return super().read(*args)

    def readline(self, *args):
        type(self).read_at_all = True
        return super().readline(*args)


@pytest.mark.parametrize("url, limit", [
    ("/jbsss/2024/entry/1/{program}/evidence/", "EVIDENCE_MAX_BYTES"),
    ("/jbsss/2024/entry/1/sheet/", "ENTRY_SHEET_MAX_BYTES"),
    ("/reports/jbsss/upload/", "PLAN_WORKBOOK_MAX_BYTES"),
    ("/jbsss/2024/entry/1/{program}/", "DATA_UPLOAD_MAX_MEMORY_SIZE"),
])
def test_a_body_larger_than_its_view_takes_is_refused_unread(client, settings, staff,
                                                            outsourcing, url, limit):
    """Issue 14: evidence was checked only after the whole body had arrived."""
    setattr(settings, limit, 1024)
    client.force_login(staff)
    UnreadBody.read_at_all = False
    claimed = 1024 + 64 * 1024 + 1 if limit != "DATA_UPLOAD_MAX_MEMORY_SIZE" else 1025
    response = client.generic("POST", url.format(program=outsourcing.pk), b"", **{
        "CONTENT_TYPE": "multipart/form-data; boundary=x", "CONTENT_LENGTH": str(claimed),
        "wsgi.input": UnreadBody(b"--x--\r\n" + b"0" * claimed)})
    assert response.status_code == 413
    assert "파일이 너무 큽니다" in response.content.decode()
    assert not UnreadBody.read_at_all
    assert not Evidence.objects.exists()


def test_a_body_within_its_view_is_read(client, settings, staff, outsourcing):
    settings.EVIDENCE_MAX_BYTES = 1024
    client.force_login(staff)
    assert send(client, outsourcing, "작은 보고서.pdf", b"%PDF-1.7\n" + b"0" * 900).status_code == 302
