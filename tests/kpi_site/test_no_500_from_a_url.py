"""
No 500 from a URL (issue 14, finding 6): every route of the URLconf, the
admin's included, with each number in its path replaced by an id no row has
(0, -1, 2⁶³, 10¹⁰⁰), asked by the users who get furthest into it.
/jbsss/2024/programs/99999999999999999999/ was a 500 on SQLite.
"""

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import get_resolver

from goals import entry
from tests.support.entry_fixtures import approver, outsourcing, staff  # noqa: F401
from tests.kpi_site.test_permission_matrix import routes

pytestmark = pytest.mark.django_db

IDS = ["0", "-1", str(2**63), str(10**100)]
PARAMETER = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>|\(\?P<(?P<group>\w+)>[^)]*\)"
                       r"|\(\[\^/\]\+\)")


def urls(route, values, hostile):
    """`route` with each of its parameters in turn made `hostile`, the others
    given `values` that exist."""
    parameters = list(PARAMETER.finditer(route))
    variants = set()
    for turn, _parameter in enumerate(parameters):
        url, end = "", 0
        for index, match in enumerate(parameters):
            url += route[end:match.start()]
            name = match["name"] or match["group"] or ""
            if match["group"] == "app_label":
                url += "goals"  # an app the admin has; not an id
            elif index == turn or name not in values:
                url += hostile
            else:
                url += values[name]
            end = match.end()
        variants.add("/" + (url + route[end:]).replace("^", "").replace("$", ""))
    return variants


@pytest.fixture
def users(staff, approver, outsourcing):
    superuser = get_user_model().objects.create_superuser("root", password="pw")
    return [superuser, staff, approver]


@pytest.mark.parametrize("who", [0, 1, 2], ids=["superuser", "staff", "approver"])
def test_no_route_answers_an_id_out_of_range_with_a_500(client, users, outsourcing, who):
    entry.save_quarter(outsourcing.owner, outsourcing, 1, [
        entry.Entry(entry.key_of(unit), "1") for unit in outsourcing.unit_projects.all()])
    values = {"code": "jbsss", "year": "2024", "quarter": "1", "kind": "xlsx",
              "action": "approve", "program_id": str(outsourcing.pk), "pk": str(outsourcing.pk),
              "object_id": str(outsourcing.pk)}
    every = sorted(route for route in routes(get_resolver().url_patterns)
                   if PARAMETER.search(route))
    assert len(every) > 50
    # Ids no row has reach each user's views; ids no row can have are
    # answered before any view (kpi_site.security), whoever asks: asked once.
    hostile_ids = IDS if who == 0 else ["0", "-1"]
    client.force_login(users[who])
    asked = 0
    for route in every:
        for hostile in hostile_ids:
            for url in urls(route, values, hostile):
                for method in ("get", "post"):
                    if url.endswith("logout/"):
                        continue
                    response = getattr(client, method)(url)
                    asked += 1
                    assert response.status_code < 500, (method, url, users[who])
    assert asked > 300


@pytest.mark.parametrize("url", [
    "/jbsss/2024/programs/99999999999999999999/",
    f"/jbsss/2024/indicators/{2**63}/",
    f"/admin/goals/program/{10**100}/change/",
    f"/admin/goals/program/-{2**63}/change/",
    f"/evidence/{'9' * 5000}/",
])
def test_an_id_out_of_range_is_not_found(client, users, url):
    client.force_login(users[0])
    assert client.get(url).status_code == 404
