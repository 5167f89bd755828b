"""
The annual report of 2024: how long each format takes to make, from the
database to the bytes (no cache), with the floor the PDF is held to, measured
in the same run: WeasyPrint rendering the document's plain text
(fixtures/source/2024_goal_report.txt, 31 KB) in the same font, on A4, with
the same PDF options (tagged PDF/A-2u). Targets: the PDF within 3x of that
floor, the XLSX and the HWPX under 1 s.

The PDF and its floor run in turns, five times each, so that both meet the
same load on the machine; each is given as the median and the best of the
five, in wall time and in the process's CPU time. On a machine shared with
other work the best CPU time is the steadiest figure, and the ratio of the
best CPU times the one to quote (when a second run gives it again).

    .venv/bin/python benchmarks/report.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python benchmarks/report.py
"""

import html
import re
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from harness import ROOT, count_queries, engine, test_database

PLAIN_TEXT = ROOT / "fixtures" / "source" / "2024_goal_report.txt"


def pdf_pages(data):
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(data)
        handle.flush()
        info = subprocess.run(["pdfinfo", handle.name], capture_output=True, text=True,
                              check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))


def medians(function, repeat, warmup=1):
    """(wall ms, CPU ms), each the median of `repeat` runs."""
    for _ in range(warmup):
        function()
    walls, cpus = [], []
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        function()
        walls.append((time.perf_counter() - wall) * 1000)
        cpus.append((time.process_time() - cpu) * 1000)
    return statistics.median(walls), statistics.median(cpus)


def plain_text_html(font_dir):
    font = (Path(font_dir) / "NanumGothic.ttf").as_uri()
    return (f'<!doctype html><html lang="ko"><head><meta charset="utf-8"><title>floor</title>'
            f'<style>@font-face {{ font-family: "NanumGothic"; src: url("{font}"); }}'
            f'@page {{ size: A4; margin: 20mm 16mm 18mm 16mm; }}'
            f'body {{ font: 9.5pt/1.45 "NanumGothic"; }} pre {{ font: inherit; '
            f'white-space: pre-wrap; margin: 0; }}</style></head>'
            f'<body><pre>{html.escape(PLAIN_TEXT.read_text(encoding="utf-8"))}</pre></body></html>')


def main():
    with test_database():
        from django.conf import settings
        from weasyprint import HTML
        from weasyprint.text.fonts import FontConfiguration

        from goals.loading import load_document, read_document
        from goals.management.commands.load_document import DEFAULT_DOCUMENT
        from reports.document import gather
        from reports.hwpx import render_hwpx
        from reports.pdf import PDF_OPTIONS, render_pdf
        from reports.xlsx import render_xlsx

        institution = load_document(read_document(DEFAULT_DOCUMENT))
        print(f"database: {engine()}")
        floor_html = plain_text_html(settings.REPORT_FONT_DIR)

        def floor():
            return HTML(string=floor_html).write_pdf(font_config=FontConfiguration(),
                                                      **PDF_OPTIONS)

        def pdf():
            return render_pdf(gather(institution, 2024))

        def xlsx():
            return render_xlsx(gather(institution, 2024))

        def hwpx():
            return render_hwpx(gather(institution, 2024))

        data, plain = pdf(), floor()
        print(f"PDF 2024: {pdf_pages(data)} pages, {len(data) / 1024:.0f} KiB, "
              f"{count_queries(pdf)} queries; floor (plain text): {pdf_pages(plain)} pages")
        # In turns, so that both see the same load on the machine.
        timings = {"PDF": [], "floor": []}
        for _round in range(5):
            timings["PDF"].append(medians(pdf, repeat=1, warmup=0))
            timings["floor"].append(medians(floor, repeat=1, warmup=0))
        figures = {}
        for name, runs in timings.items():
            walls, cpus = zip(*runs)
            figures[name] = (statistics.median(walls), statistics.median(cpus), min(walls),
                             min(cpus))
            print(f"  {name:<5} median wall {figures[name][0]:5.0f} ms, CPU {figures[name][1]:5.0f} "
                  f"ms; best wall {figures[name][2]:5.0f} ms, CPU {figures[name][3]:5.0f} ms")
        ratios = [report / floor for report, floor in zip(figures["PDF"], figures["floor"])]
        print(f"  ratio median wall {ratios[0]:.2f}x, CPU {ratios[1]:.2f}x; best wall "
              f"{ratios[2]:.2f}x, CPU {ratios[3]:.2f}x (target < 3x)")
        for name, function in (("XLSX", xlsx), ("HWPX", hwpx)):
            data = function()
            wall, cpu = medians(function, repeat=5)
            print(f"{name} 2024: {len(data) / 1024:.0f} KiB, {count_queries(function)} queries, "
                  f"wall {wall:.0f} ms, CPU {cpu:.0f} ms (target < 1000 ms)")


if __name__ == "__main__":
    main()
