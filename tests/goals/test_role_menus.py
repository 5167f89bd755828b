"""What each role is offered around the entry and approval pages. Every
role against every page is in test_permission_matrix."""

from io import StringIO

import pytest
from django.core.management import call_command

from goals import roles
from goals.management.commands.setup_demo import DEMO_PASSWORD
from tests.support.entry_fixtures import make_user

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role, entry_link, approval_link", [
    (roles.STAFF, True, False), (roles.APPROVER, False, True), (roles.DIRECTOR, False, False),
    (roles.REVIEWER, False, False), (roles.ADMINISTRATOR, False, False)])
def test_the_menu_offers_what_the_role_may_do(client, institution, role, entry_link,
                                              approval_link):
    client.force_login(make_user(institution, role, "menu"))
    page = client.get("/jbsss/2024/").content.decode()
    assert ('href="/jbsss/2024/entry/"' in page) == entry_link
    assert ('href="/jbsss/2024/approval/"' in page) == approval_link


def test_the_demo_users_can_enter_and_approve(client, institution):
    call_command("setup_demo", stdout=StringIO())
    assert client.post("/accounts/login/", {"username": "staff1",
                                            "password": DEMO_PASSWORD}).status_code == 302
    response = client.get("/jbsss/2024/entry/1/")
    assert len(response.context["sections"]) == 7
    assert client.post("/accounts/login/", {"username": "approver",
                                            "password": DEMO_PASSWORD}).status_code == 302
    response = client.get("/jbsss/2024/approval/1/")
    owners = {section["quarter"].program.owner.username
              for section in response.context["sections"]}
    assert owners == {"staff1", "staff2"}
