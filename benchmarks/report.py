"""
The annual report of 2024: how long the PDF and the XLSX take to make, how
big they are, and how many pages the PDF has. Targets: PDF under 5 s, XLSX
under 1 s (each from the database to the bytes, without the cache).

    .venv/bin/python benchmarks/report.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python benchmarks/report.py
"""

import re
import subprocess
import tempfile

from harness import count_queries, engine, median_ms, test_database


def pdf_pages(data):
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(data)
        handle.flush()
        info = subprocess.run(["pdfinfo", handle.name], capture_output=True, text=True,
                              check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))


def main():
    with test_database():
        from goals.document import load_document, read_document
        from goals.management.commands.load_document import DEFAULT_DOCUMENT
        from reports.document import gather
        from reports.pdf import render_pdf
        from reports.xlsx import render_xlsx

        institution = load_document(read_document(DEFAULT_DOCUMENT))
        print(f"database: {engine()}")

        def pdf():
            return render_pdf(gather(institution, 2024))

        def xlsx():
            return render_xlsx(gather(institution, 2024))

        data = pdf()
        print(f"PDF 2024: {pdf_pages(data)} pages, {len(data) / 1024:.0f} KiB, "
              f"{count_queries(pdf)} queries, median {median_ms(pdf, repeat=5, warmup=1):.0f} ms "
              f"(target < 5000 ms)")
        data = xlsx()
        print(f"XLSX 2024: {len(data) / 1024:.0f} KiB, {count_queries(xlsx)} queries, "
              f"median {median_ms(xlsx, repeat=9, warmup=1):.0f} ms (target < 1000 ms)")


if __name__ == "__main__":
    main()
