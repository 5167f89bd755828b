"""
What an evidence file (증빙) may be: a PDF, an HWP or HWPX, an XLS or XLSX, a
PPT or PPTX, a DOCX, a JPEG or PNG, or a ZIP (kept and listed as it is, never
unpacked, with at most ZIP_MAX_ENTRIES entries and ZIP_MAX_UNPACKED bytes
unpacked), no larger than settings.EVIDENCE_MAX_BYTES, whose content is what
its name claims. The name a user gave is only shown, never used as a path.
"""

import re
import unicodedata
import zipfile

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "hwp": "application/x-hwp",
    "hwpx": "application/hwp+zip",
    "xls": "application/vnd.ms-excel",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ppt": "application/vnd.ms-powerpoint",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "zip": "application/zip",
}
ZIP_MAX_ENTRIES = 1000
ZIP_MAX_UNPACKED = 500 * 1024 * 1024  # what its entries say they unpack to
EXTENSIONS = ", ".join(CONTENT_TYPES)
ACCEPT = ",".join(f".{extension}" for extension in CONTENT_TYPES)  # for <input accept>

PDF = b"%PDF-"
PNG = b"\x89PNG\r\n\x1a\n"
JPEG = b"\xff\xd8\xff"
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the compound file HWP 5 is stored in
ZIP = b"PK\x03\x04"
HWPX_MIMETYPE = b"application/hwp+zip"
NAME_LENGTH = 200  # Evidence.name


def extension_of(name):
    return name.rpartition(".")[2].lower() if "." in name else ""


def content_type_of(name):
    return CONTENT_TYPES[extension_of(name)]


def clean_name(name):
    """The name to show: no folders, no control characters, none of the
    characters Windows refuses, at most 200 characters with its extension."""
    name = unicodedata.normalize("NFC", name or "")
    name = name.replace("\\", "/").rpartition("/")[2]
    name = "".join(char for char in name if not unicodedata.category(char).startswith("C"))
    name = re.sub(r'[<>:"|?*]', "_", name)
    name = " ".join(name.split()).strip(" .")
    if len(name) > NAME_LENGTH:
        stem, _dot, extension = name.rpartition(".")
        name = f"{stem[:NAME_LENGTH - len(extension) - 1]}.{extension}"
    return name


def problem_with(upload):
    """A Korean message for a file that may not be evidence, or None."""
    extension = extension_of(clean_name(upload.name))
    if extension not in CONTENT_TYPES:
        return _("%(extensions)s 파일만 올릴 수 있습니다.") % {"extensions": EXTENSIONS}
    if not upload.size:
        return _("빈 파일입니다.")
    if upload.size > settings.EVIDENCE_MAX_BYTES:
        return _("파일이 너무 큽니다(최대 %(size)s).") % {
            "size": filesizeformat(settings.EVIDENCE_MAX_BYTES)}
    try:
        is_what_it_claims = _content_matches(extension, upload)
    finally:
        upload.seek(0)
    if not is_what_it_claims:
        return _("파일 내용이 %(extension)s 형식이 아닙니다.") % {"extension": extension}
    if extension == "zip":
        try:
            return _zip_problem(upload)
        finally:
            upload.seek(0)
    return None


def _zip_problem(upload):
    """A ZIP is kept as it is, never unpacked; still, one of more entries or
    a larger unpacked size than the caps is refused (a zip bomb, a backup)."""
    upload.seek(0)
    with zipfile.ZipFile(upload) as archive:
        infos = archive.infolist()
    if not infos:
        return _("빈 압축 파일입니다.")
    if len(infos) > ZIP_MAX_ENTRIES or sum(info.file_size for info in infos) > ZIP_MAX_UNPACKED:
        return _("압축 파일에 든 파일이 너무 많거나 너무 큽니다(최대 %(count)s개, 풀었을 때 "
                 "%(size)s).") % {"count": ZIP_MAX_ENTRIES,
                                  "size": filesizeformat(ZIP_MAX_UNPACKED)}
    return None


def _content_matches(extension, upload):
    upload.seek(0)
    head = upload.read(8)
    if extension == "pdf":
        return head.startswith(PDF)
    if extension == "png":
        return head == PNG
    if extension in ("jpg", "jpeg"):
        return head.startswith(JPEG)
    if extension in ("hwp", "xls", "ppt"):
        return head == OLE2
    if not head.startswith(ZIP):
        return False
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
            if extension == "hwpx":
                info = archive.getinfo("mimetype") if "mimetype" in names else None
                return (info is not None and info.file_size <= 100
                        and archive.read(info).strip() == HWPX_MIMETYPE)
            if extension == "zip":
                return True  # its size and entries: _zip_problem()
            folder = {"xlsx": "xl/", "docx": "word/", "pptx": "ppt/"}[extension]
            return ("[Content_Types].xml" in names
                    and any(name.startswith(folder) for name in names))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, KeyError):
        return False
