"""Every page needs a login, and a user sees only their institution."""

import pytest
from django.contrib.auth import get_user_model

from goals import roles
from goals.models import Institution
from tests.support.entry_fixtures import make_user

pytestmark = pytest.mark.django_db


def test_pages_need_a_login(client, institution):
    for url in ["/", "/jbsss/2024/"]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_the_login_page_is_korean(client, db):
    page = client.get("/accounts/login/").content.decode()
    assert "로그인" in page and "사용자 이름" in page


def test_home_leads_to_the_institutions_year(client, institution):
    client.force_login(make_user(institution, roles.DIRECTOR, "someone"))
    response = client.get("/")
    assert response.status_code == 302
    # The director of a year in progress lands on its to-do list (issue 13).
    assert response["Location"] in ("/jbsss/2024/", "/jbsss/2026/", "/jbsss/2023/",
                                    "/jbsss/2024/todo/", "/jbsss/2026/todo/")
    page = client.get("/jbsss/2024/").content.decode()
    # Last year's result beside its target; this year has no results yet.
    assert "82회(56회)" in page and "7.1%증" in page
    assert "연간</td>" not in page and "분기까지</td>" not in page


def test_another_institutions_data_does_not_exist_for_a_user(client, institution):
    other = Institution.objects.create(code="other", name="다른 기관")
    client.force_login(make_user(other, roles.DIRECTOR, "outsider"))
    assert client.get("/jbsss/2024/").status_code == 404
    assert client.get("/jbsss/2023/").status_code == 404


def test_a_member_without_a_role_reads_nothing(client, institution):
    user = get_user_model().objects.create_user("norole", password="pw")
    institution.members.add(user)
    client.force_login(user)
    assert client.get("/jbsss/2024/").status_code == 404
