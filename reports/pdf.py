"""
The annual report as a PDF, rendered by WeasyPrint from a Django template.

The renderer reads the report's own files, named one by one (its fonts; the
stylesheet is inside the HTML), and nothing else: a web address, another
file of the project (the database, evidence), any other file is refused, so
making a report never reaches the network or the data, whatever it says.
"""

from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher

FONT_FILES = {"regular": "NanumGothic.ttf", "bold": "NanumGothicBold.ttf"}
# For the archive and for screen readers: PDF/A-2u (fonts embedded, every
# glyph mapped to Unicode, XMP metadata, an sRGB output intent), tagged
# (headings, lists, tables with header cells, in reading order) with /Lang
# and the title shown. Not PDF/A-2a or PDF/UA-1, which WeasyPrint also
# offers: both require every piece of content to be tagged or marked as an
# artifact, and WeasyPrint leaves the running headers and page numbers of the
# page margins as neither (see the README).
PDF_OPTIONS = {"pdf_variant": "pdf/a-2u", "pdf_tags": True}
# Korean documents write a middle dot with these; NanumGothic lacks them, and
# a fallback font would make the PDF depend on whatever else is installed.
MIDDLE_DOTS = str.maketrans({"\u2024": "\u00b7", "\u2027": "\u00b7"})


def report_files():
    """Every file the report may read."""
    font_dir = Path(settings.REPORT_FONT_DIR)
    return [font_dir / name for name in FONT_FILES.values()]


class LocalFetcher(URLFetcher):
    """Fetches the files of report_files() and refuses every other URL
    (WeasyPrint then leaves the resource out)."""

    def __init__(self):
        super().__init__(allowed_protocols=["file"])
        self.allowed = {path.resolve() for path in report_files()}

    def fetch(self, url, headers=None):
        if not url.startswith("file:"):
            raise ValueError(f"The report reads local files only, not {url}")
        path = Path(unquote(urlsplit(url).path)).resolve()
        if path not in self.allowed:
            raise ValueError(f"The report reads its own fonts only, not {path}")
        return super().fetch(url, headers)


def report_html(report):
    return _html("reports/annual_report.html", report)


def render_pdf(report):
    return html_to_pdf(report_html(report))


def html_to_pdf(html):
    document = HTML(string=html, base_url=Path(settings.BASE_DIR).as_uri() + "/",
                    url_fetcher=LocalFetcher())
    return document.write_pdf(font_config=FontConfiguration(), **PDF_OPTIONS)


def results_html(report):
    """The year-end results report (reports.results) as HTML."""
    return _html("reports/results_report.html", report)


def _html(template, report):
    """A report as HTML in the report's own fonts, its middle dots the fonts'."""
    font_dir = Path(settings.REPORT_FONT_DIR)
    fonts = {style: (font_dir / name).as_uri() for style, name in FONT_FILES.items()}
    html = render_to_string(template, {"report": report, "fonts": fonts})
    return html.translate(MIDDLE_DOTS)


def render_results_pdf(report):
    return html_to_pdf(results_html(report))
