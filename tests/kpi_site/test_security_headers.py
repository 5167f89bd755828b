"""
The Content-Security-Policy and the Permissions-Policy (issue 14, finding 7):
on every HTML page, with nothing inline that the policy would refuse, and
the admin working under it in the browser. Every browser test fails on
anything the policy refused (tests/conftest.py WatchedBrowser).
"""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from goals.management.commands.setup_demo import DEMO_PASSWORD
from tests.support.browser import log_in
from tests.support.entry_fixtures import OUTSOURCING, program_named
from tests.support.entry_fixtures import care, other_staff, outsourcing, staff  # noqa: F401
from tests.kpi_site.test_permission_matrix import MATRIX, objects, users  # noqa: F401

INLINE = {
    "an inline script": re.compile(r"<script\b(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>"),
    "a <style> block": re.compile(r"<style\b"),
    "a style attribute": re.compile(r"<[^>]+\sstyle\s*=", re.S),
    "an event handler attribute": re.compile(r"<[^>]+\son[a-z]+\s*=", re.S),
    "a javascript: link": re.compile(r"javascript:", re.I),
}


def directives(header):
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["owner", "approver", "administrator", "anonymous"])
def test_every_html_page_has_the_policy_and_nothing_it_would_refuse(client, users, objects,
                                                                    role):
    if role != "anonymous":
        client.force_login(users[role])
    pages = 0
    for _route, requests in MATRIX.items():
        for method, url, _data, _outcomes in requests:
            if method != "get":
                continue
            response = client.get(url.format(**objects))
            if not response["Content-Type"].startswith("text/html"):
                continue
            pages += 1
            policy = directives(response["Content-Security-Policy"])
            assert policy["script-src"] == ["'self'"] and policy["style-src"] == ["'self'"]
            assert policy["object-src"] == ["'none'"]
            assert policy["frame-ancestors"] == ["'none'"]
            assert "camera=()" in response["Permissions-Policy"]
            html = response.content.decode()
            for what, pattern in INLINE.items():
                assert not pattern.search(html), (url, what, pattern.search(html)[0][:200])
    assert pages > (30 if role == "administrator" else 3)


@pytest.mark.django_db
def test_an_evidence_download_keeps_its_own_stricter_policy(client, users, objects):
    client.force_login(users["owner"])
    response = client.get(f"/evidence/{objects['evidence']}/")
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_admin_works_under_the_policy(live_server, institution, browser, browser_page):
    call_command("setup_demo", stdout=StringIO())
    page, base = browser_page, live_server.url
    outsourcing = program_named(institution.plans.get(year=2024), OUTSOURCING)
    log_in(page, base, "admin", DEMO_PASSWORD)
    # Moving members between the two lists is the admin's script.
    page.goto(f"{base}/admin/goals/institution/{institution.pk}/change/")
    expect(page.locator("#id_members_from")).to_be_visible()
    page.locator("#id_members_to option").first.click()
    page.locator("#id_members_remove").click()
    expect(page.locator("#id_members_from option")).not_to_have_count(0)
    # An autocomplete (select2) and a new inline row.
    page.goto(f"{base}/admin/goals/program/{outsourcing.pk}/change/")
    page.locator("#id_owner").locator("xpath=..").locator(".select2-selection").click()
    expect(page.locator(".select2-results__option").first).to_be_visible()
    page.keyboard.press("Escape")
    rows = page.locator("#narratives-group tbody tr.form-row:not(.empty-form)")
    before = rows.count()
    page.locator("#narratives-group .add-row a").click()
    expect(rows).to_have_count(before + 1)
    page.goto(f"{base}/admin/goals/program/{outsourcing.pk}/history/")
    expect(page.locator(".history-paginator")).to_have_count(1)
    assert not browser.violations


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_inline_style_is_refused_and_seen(live_server, browser, browser_page):
    page = browser_page
    page.goto(f"{live_server.url}/accounts/login/")
    page.evaluate("document.body.setAttribute('style', 'color: red')")
    page.wait_for_timeout(200)
    assert page.evaluate("getComputedStyle(document.body).color") != "rgb(255, 0, 0)"
    assert any("style-src" in violation for violation in browser.violations)
    browser.violations.clear()  # seen; the test itself is not to fail for it
