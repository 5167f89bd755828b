"""
The entry page at 500 indicators next to two floors measured in the same run,
each through the same middleware and base.html:

- a plain table with the same inputs: Django rendering, in a template loop,
  a row for each of the page's rows with the same text inputs (value and
  note) and hidden inputs, names and values as the page writes them; issue
  17 wants the page within 3× of it;
- benchmarks/dashboard.py's plain 500-row, 12-column table (no inputs), kept
  for comparison with earlier figures.

    .venv/bin/python benchmarks/entry_page.py

Each page is requested in turns with the floor; the ratios are the medians of
those pairs, in wall time and in the process's CPU time.
"""

import re

from dashboard import add_floor_views, side_by_side, urlpatterns
from harness import count_queries, engine, render_as_in_production, test_database

TARGET_RATIO = 3.0
PLAIN_TABLE = "/benchmark/plain-table/"
SAME_INPUTS = "/benchmark/same-inputs/"

SAME_INPUTS_TABLE = """{% extends "base.html" %}
{% block content %}<h1>입력</h1>
<form method="post" id="entry-form">{% csrf_token %}<table><caption>실적</caption>
<thead><tr><th scope="col">성과지표</th><th scope="col">연간 목표</th><th scope="col">누계</th>
<th scope="col">실적</th><th scope="col">비고</th></tr></thead>
<tbody>{% for row in rows %}<tr><th scope="row">{{ row.name }}</th><td>{{ row.target }}</td>
<td>{{ row.cumulative }}</td><td><input type="text" name="{{ row.value.0 }}" value="{{ row.value.1 }}">
{% for name, value in row.hidden %}<input type="hidden" name="{{ name }}" value="{{ value }}">{% endfor %}</td>
<td><input type="text" name="{{ row.note.0 }}" value="{{ row.note.1 }}"></td></tr>{% endfor %}
</tbody></table><button type="submit">저장</button></form>{% endblock %}"""

# The page's inputs in order: text and hidden inputs with their values, and
# the selects of indicators measured in steps (no value written).
INPUT = re.compile(r'<input form="entry-form" type="(text|hidden)" name="([^"]+)"[^>]*? '
                   r'value="([^"]*)"|<select name="([^"]+)"')


def rows_of(page):
    """The entry page's rows as (name, value) pairs of their inputs."""
    rows = []
    for kind, name, value, select in INPUT.findall(page):
        name = name or select
        if "-value_" in name:
            rows.append({"name": f"성과지표 {len(rows)}", "target": "60회", "cumulative": "12회",
                         "value": (name, value), "hidden": [], "note": None})
        elif "-note_" in name:
            rows[-1]["note"] = (name, value)
        elif kind == "hidden" and rows:
            rows[-1]["hidden"].append((name, value))
    return rows


def add_same_inputs_floor(rows):
    from django.http import HttpResponse
    from django.template import engines
    from django.urls import clear_url_caches, path

    template = engines["django"].from_string(SAME_INPUTS_TABLE)

    def same_inputs(request):
        return HttpResponse(template.render({"rows": rows}, request))

    urlpatterns.insert(0, path(SAME_INPUTS.strip("/") + "/", same_inputs))
    clear_url_caches()


def main():
    with test_database():
        render_as_in_production()
        from django.contrib.auth import get_user_model
        from django.test import Client
        from django.test.utils import override_settings

        from goals import roles
        from goals.loading import load_document, read_document
        from goals.management.commands.load_document import DEFAULT_DOCUMENT
        from goals.models import Program
        from goals.synthetic import build_synthetic_plan

        add_floor_views()
        staff = get_user_model().objects.create_user("bench-entry")
        staff.groups.add(roles.ensure_groups()[roles.STAFF])
        for institution in (load_document(read_document(DEFAULT_DOCUMENT)),
                            build_synthetic_plan(indicators=500)):
            institution.members.add(staff)
            Program.objects.filter(category__plan__institution=institution).update(owner=staff)
        client = Client()
        client.force_login(staff)
        print(f"database: {engine()}")
        results = {}
        large = "/synthetic/2024/entry/3/"
        with override_settings(ROOT_URLCONF="dashboard"):
            rows = rows_of(client.get(large).content.decode())
            add_same_inputs_floor(rows)
            inputs = sum(2 + len(row["hidden"]) for row in rows)
            print(f"floor: a plain table of the page's {len(rows)} rows and {inputs} inputs")
            for label, url, floor in [
                    ("entry page, document", "/jbsss/2024/entry/3/", PLAIN_TABLE),
                    ("entry page, 500 indicators", large, PLAIN_TABLE),
                    ("entry page, 500 indicators", large, SAME_INPUTS)]:
                queries = count_queries(lambda url=url: client.get(url))
                wall, cpu, ratio, cpu_ratio = results[label, floor] = side_by_side(
                    client, url, floor)
                floor_name = ("the same inputs" if floor == SAME_INPUTS
                              else "the plain 500-row table")
                print(f"{label}: median {wall:.1f} ms ({cpu:.1f} ms CPU), {queries} queries; "
                      f"{ratio:.2f}x {floor_name} ({cpu_ratio:.2f}x in CPU)")
        ratio = results["entry page, 500 indicators", SAME_INPUTS][2]
        print(f"entry page at 500 indicators: {ratio:.2f}x a plain table with the same inputs "
              f"(target < {TARGET_RATIO}x)")
        return 0 if ratio < TARGET_RATIO else 1


if __name__ == "__main__":
    raise SystemExit(main())
