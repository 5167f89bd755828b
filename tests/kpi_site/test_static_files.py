"""Every file a page asks the browser for is the app's own (a closed
network: no CDN), and is there to serve: the stylesheet, the scripts, the
icon (without one the browser asks for /favicon.ico and logs a 404)."""

import re

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db

LINKED = re.compile(r'<(?:link|script|img)\b[^>]*?\b(?:href|src)="([^"]+)"')


@pytest.mark.parametrize("url", ["/accounts/login/", "/jbsss/2024/"])
def test_what_a_page_links_is_served_by_the_app(client, url, institution):
    from tests.support.entry_fixtures import make_user
    from goals import roles

    client.force_login(make_user(institution, roles.DIRECTOR, "director"))
    page = client.get(url).content.decode()
    assert 'rel="icon"' in page
    linked = LINKED.findall(page)
    assert linked
    for address in linked:
        assert address.startswith(settings.STATIC_URL), address
        assert finders.find(address.removeprefix(settings.STATIC_URL).split("?")[0]), address
