"""Who may open and use the entry and approval pages: every role against
every page. Another institution's user gets 404s; a role without the right
gets 403s; nothing changes for anyone who may not change it."""

from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from goals import entry, roles
from goals.management.commands.setup_demo import DEMO_PASSWORD
from goals.models import Evidence, Institution, Result, Submission
from goals.synthetic import build_synthetic_plan
from tests.entry_fixtures import (care, make_user, other_staff, outsourcing,  # noqa: F401
                                  staff)

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n"
# name: (method, url with {program} and {evidence}, data)
PAGES = {
    "entry_start": ("get", "/jbsss/2024/entry/", {}),
    "entry": ("get", "/jbsss/2024/entry/1/", {}),
    "sheet": ("get", "/jbsss/2024/entry/1/sheet.xlsx", {}),
    "save": ("post", "/jbsss/2024/entry/1/{program}/", {}),
    "submit": ("post", "/jbsss/2024/entry/1/{program}/submit/", {}),
    "evidence_add": ("post", "/jbsss/2024/entry/1/{program}/evidence/", {}),
    "sheet_upload": ("post", "/jbsss/2024/entry/1/sheet/", {}),
    "evidence_download": ("get", "/evidence/{evidence}/", {}),
    "approval_start": ("get", "/jbsss/2024/approval/", {}),
    "approval": ("get", "/jbsss/2024/approval/1/", {}),
    "approve": ("post", "/jbsss/2024/approval/1/{program}/approve/", {}),
    "return": ("post", "/jbsss/2024/approval/1/{program}/return/",
               {"return{program}-comment": "사유"}),
    "reopen": ("post", "/jbsss/2024/approval/1/{program}/reopen/",
               {"reopen{program}-comment": "사유"}),
    "evidence_delete": ("post", "/evidence/{evidence}/delete/", {}),
}
READER = {"evidence_download": 200}
NOT_STAFF = {"entry_start": 403, "entry": 403, "sheet": 403, "save": 403, "submit": 403,
             "evidence_add": 403, "sheet_upload": 403, "evidence_delete": 403}
NOT_APPROVER = {"approval_start": 403, "approval": 403, "approve": 403, "return": 403,
                "reopen": 403}
EXPECTED = {
    "anonymous": {page: 302 for page in PAGES},  # to the login page
    # The owner of 수탁기관 운영 활성화 지원. Submitting with blanks and the
    # approver's refused steps come back as a redirect with a message; a post
    # without a file is a form error.
    "owner": {"entry_start": 302, "entry": 200, "sheet": 200, "save": 302, "submit": 302,
              "evidence_add": 400, "sheet_upload": 400, "evidence_delete": 302,
              **READER, **NOT_APPROVER},
    "other staff": {"entry_start": 302, "entry": 200, "sheet": 200, "save": 403,
                    "submit": 403, "evidence_add": 403, "sheet_upload": 400,
                    "evidence_delete": 403, **READER, **NOT_APPROVER},
    "approver": {**NOT_STAFF, **READER, "approval_start": 302, "approval": 200,
                 "approve": 302, "return": 302, "reopen": 302},
    "director": {**NOT_STAFF, **READER, **NOT_APPROVER},
    "reviewer": {**NOT_STAFF, **READER, **NOT_APPROVER},
    "administrator": {**NOT_STAFF, **READER, **NOT_APPROVER},
    "member without a role": {page: 404 for page in PAGES},
    "another institution": {page: 404 for page in PAGES},
}
ROLE_OF = {"approver": roles.APPROVER, "director": roles.DIRECTOR, "reviewer": roles.REVIEWER,
           "administrator": roles.ADMINISTRATOR, "member without a role": None}


@pytest.fixture
def evidence(settings, tmp_path, staff, outsourcing):
    settings.MEDIA_ROOT = tmp_path
    return entry.add_evidence(staff, outsourcing, 1, SimpleUploadedFile("보고서.pdf", PDF))


def user_for(who, institution, staff, other_staff):
    if who == "owner":
        return staff
    if who == "other staff":
        return other_staff
    if who == "another institution":
        other = Institution.objects.create(code="other", name="다른 기관")
        return make_user(other, roles.DIRECTOR, "outsider")
    user = make_user(institution, ROLE_OF[who], who.replace(" ", "-"))
    user.is_staff = who == "administrator"
    user.save()
    return user


@pytest.mark.parametrize("who", EXPECTED)
def test_every_role_on_every_page(client, institution, staff, other_staff, outsourcing, care,
                                  evidence, who):
    if who != "anonymous":
        client.force_login(user_for(who, institution, staff, other_staff))
    before = Result.objects.count()
    seen = {}
    for page, (method, url, data) in PAGES.items():
        url = url.format(program=outsourcing.pk, evidence=evidence.pk)
        data = {name.format(program=outsourcing.pk): value for name, value in data.items()}
        response = getattr(client, method)(url, data)
        seen[page] = response.status_code
        if who == "anonymous":
            assert response["Location"].startswith("/accounts/login/")
    assert seen == EXPECTED[who]
    assert Result.objects.count() == before
    assert Evidence.objects.exists() == (who != "owner")
    assert not Submission.objects.exclude(status="draft").exists()


def test_an_id_from_another_institution_is_not_found(client, staff, outsourcing):
    other = build_synthetic_plan(indicators=5, code="elsewhere")
    their_program = other.plans.get(year=2024).categories.first().programs.first()
    their_program.owner = staff
    their_program.save()
    client.force_login(staff)
    # Under our institution's address, their program does not exist.
    assert client.post(f"/jbsss/2024/entry/1/{their_program.pk}/", {}).status_code == 404
    assert client.get("/elsewhere/2024/entry/1/").status_code == 404
    assert Institution.objects.filter(code="elsewhere").exists()


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
