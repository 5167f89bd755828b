"""
Every URL of the URLconf against every role. Each route is in MATRIX with
what each role gets: a page (200), a redirect (302), the login page (LOGIN),
the admin's index (ADMIN_INDEX, where it sends what it does not find), 403 or 404. A route added to the
URLconf without a line here fails test_no_url_is_left_out.

Another institution's users get 404s (or the admin's ADMIN_INDEX) for anything of
ours; a role without the right gets 403s; nothing changes for anyone who may
not change it.
"""

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLResolver, get_resolver
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from goals import entry, roles
from goals.models import (Category, EvaluationScheme, Evidence, Execution, GeneralStatus,
                          Institution, Program, Result, Submission, Target)
from goals.synthetic import build_synthetic_plan
from reports import exports
from tests.support.entry_fixtures import care, make_user, other_staff, outsourcing, staff  # noqa: F401

pytestmark = pytest.mark.django_db

LOGIN = "login"  # redirected to a login page
ADMIN_INDEX = "admin index"  # where the admin sends an object it does not find
ROLES = ["anonymous", "owner", "other_staff", "approver", "director", "reviewer",
         "administrator", "no_role", "outsider", "outside_admin"]
READERS = ["owner", "other_staff", "approver", "director", "reviewer", "administrator"]
ADMINS = ["administrator", "outside_admin"]


def everyone(outcome, **roles_outcomes):
    return {role: roles_outcomes.get(role, outcome) for role in ROLES}


def site(readers, **roles_outcomes):
    """A page of our institution: the login page for the anonymous, 404 for
    users without a role in it, `readers` for everyone else."""
    return {**everyone(404, anonymous=LOGIN), **{role: readers for role in READERS},
            **roles_outcomes}


def admin(administrator, outside_admin=None):
    """An admin page: the admin's login page for anyone not an administrator."""
    return everyone(LOGIN, administrator=administrator,
                    outside_admin=administrator if outside_admin is None else outside_admin)


NOT_STAFF = dict.fromkeys(["approver", "director", "reviewer", "administrator"], 403)
NOT_APPROVER = dict.fromkeys(["owner", "other_staff", "director", "reviewer", "administrator"],
                             403)
NOT_REVIEWER = {"reviewer": 403}  # the institution's own planning pages

# route: [(method, url, data, {role: outcome})], in the order they are sent.
# {program} and the like are filled in from the objects of the `objects` fixture.
MATRIX = {
    # To the year that matters now; the other institution has no plan yet.
    "": [("get", "/", {}, everyone(302, anonymous=LOGIN, outsider=404, outside_admin=404))],
    "accounts/login/": [("get", "/accounts/login/", {}, everyone(200))],
    "accounts/password/": [("get", "/accounts/password/", {}, everyone(200, anonymous=LOGIN))],
    "accounts/password/done/": [
        ("get", "/accounts/password/done/", {}, everyone(200, anonymous=LOGIN))],
    "<slug:code>/compare/": [("get", "/jbsss/compare/", {}, site(200))],
    "<slug:code>/<int:year>/": [("get", "/jbsss/2024/", {}, site(200))],
    "<slug:code>/<int:year>/programs/<int:pk>/": [
        ("get", "/jbsss/2024/programs/{program}/", {}, site(200))],
    "<slug:code>/<int:year>/indicators/<int:pk>/": [
        ("get", "/jbsss/2024/indicators/{indicator}/", {}, site(200))],
    # The evaluation the year is heading for: the institution's page and its
    # simulator; the reviewer reads the same figures on a page of their own.
    "<slug:code>/<int:year>/evaluation/": [
        ("get", "/jbsss/2024/evaluation/", {}, site(200, **NOT_REVIEWER))],
    "<slug:code>/<int:year>/evaluation/review/": [
        ("get", "/jbsss/2023/evaluation/review/", {}, site(200))],
    "<slug:code>/<int:year>/evaluation/simulator/": [
        ("get", "/jbsss/2024/evaluation/simulator/?t{indicator}=70", {},
         site(200, **NOT_REVIEWER))],
    # A report is asked for (and made at once in tests), then followed to its file.
    "reports/<slug:code>/<int:year>/exports/": [
        ("post", "/reports/jbsss/2024/exports/", {"format": "xlsx"}, site(302))],
    "reports/<slug:code>/<int:year>/exports/<int:pk>/": [
        ("get", "/reports/jbsss/2024/exports/{export}/", {}, site(200))],
    "reports/<slug:code>/<int:year>/exports/<int:pk>/status/": [
        ("get", "/reports/jbsss/2024/exports/{export}/status/", {}, site(200))],
    "reports/<slug:code>/<int:year>/exports/<int:pk>/file/": [
        ("get", "/reports/jbsss/2024/exports/{export}/file/", {}, site(200))],
    "reports/<slug:code>/upload/": [
        ("get", "/reports/jbsss/upload/", {}, site(403, approver=200, administrator=200))],
    "evidence/<int:pk>/": [("get", "/evidence/{evidence}/", {}, site(200))],
    # Everyone's own notifications, of no one else (tests/goals/test_notifications.py).
    "notifications/": [("get", "/notifications/", {}, everyone(200, anonymous=LOGIN))],
    "notifications/read/": [("post", "/notifications/read/", {}, everyone(302, anonymous=LOGIN))],
    # 계속 사용: the session's time starts again (static/goals/session.js).
    "session/keepalive/": [("post", "/session/keepalive/", {}, everyone(204, anonymous=LOGIN))],
    # The landing page: what staff, approvers and the director have to do.
    "<slug:code>/<int:year>/todo/": [
        ("get", "/jbsss/2024/todo/", {}, site(200, reviewer=403, administrator=403))],
    "<slug:code>/<int:year>/todo/<int:quarter>/": [
        ("get", "/jbsss/2024/todo/1/", {}, site(200, reviewer=403, administrator=403)),
        ("get", "/jbsss/2024/todo/5/", {}, site(404, reviewer=403, administrator=403))],
    # The staff member's quarter. Submitting with blanks comes back as a
    # redirect with a message; a post without a file is a form error.
    "<slug:code>/<int:year>/entry/": [
        ("get", "/jbsss/2024/entry/", {}, site(302, **NOT_STAFF))],
    "<slug:code>/<int:year>/entry/<int:quarter>/": [
        ("get", "/jbsss/2024/entry/1/", {}, site(200, **NOT_STAFF))],
    # One 저장 for the page (nothing sent: nothing changes) and 모두 제출, whose
    # page names what will lock; posting it with nothing complete is refused.
    "<slug:code>/<int:year>/entry/<int:quarter>/save/": [
        ("post", "/jbsss/2024/entry/1/save/", {}, site(302, **NOT_STAFF))],
    "<slug:code>/<int:year>/entry/<int:quarter>/submit/": [
        ("get", "/jbsss/2024/entry/1/submit/", {}, site(200, **NOT_STAFF)),
        ("post", "/jbsss/2024/entry/1/submit/", {}, site(302, **NOT_STAFF))],
    "<slug:code>/<int:year>/entry/<int:quarter>/sheet.xlsx": [
        ("get", "/jbsss/2024/entry/1/sheet.xlsx", {}, site(200, **NOT_STAFF))],
    "<slug:code>/<int:year>/entry/<int:quarter>/<int:program_id>/": [
        ("post", "/jbsss/2024/entry/1/{program}/", {},
         site(403, owner=302))],
    # 집행액 of the program's quarter: nothing typed, nothing changes.
    "<slug:code>/<int:year>/entry/<int:quarter>/<int:program_id>/execution/": [
        ("post", "/jbsss/2024/entry/1/{program}/execution/", {}, site(403, owner=302))],
    "<slug:code>/<int:year>/entry/<int:quarter>/<int:program_id>/submit/": [
        ("post", "/jbsss/2024/entry/1/{program}/submit/", {}, site(403, owner=302))],
    "<slug:code>/<int:year>/entry/<int:quarter>/<int:program_id>/evidence/": [
        ("post", "/jbsss/2024/entry/1/{program}/evidence/", {}, site(403, owner=400))],
    "<slug:code>/<int:year>/entry/<int:quarter>/sheet/": [
        ("post", "/jbsss/2024/entry/1/sheet/", {}, site(400, **NOT_STAFF))],
    # The approver's quarter; steps refused for a quarter in draft come back
    # as a redirect with a message.
    "<slug:code>/<int:year>/approval/": [
        ("get", "/jbsss/2024/approval/", {}, site(302, **NOT_APPROVER))],
    "<slug:code>/<int:year>/approval/<int:quarter>/": [
        ("get", "/jbsss/2024/approval/1/", {}, site(200, **NOT_APPROVER))],
    # The quarter's due date: nothing sent is a form error (the approver's page
    # again; an administrator, who has no approval page, goes back with a message).
    # Reminders to the owners of the programs not submitted yet.
    "<slug:code>/<int:year>/approval/<int:quarter>/remind/": [
        ("post", "/jbsss/2024/approval/1/remind/", {}, site(302, **NOT_APPROVER))],
    "<slug:code>/<int:year>/approval/<int:quarter>/due/": [
        ("post", "/jbsss/2024/approval/1/due/", {},
         site(403, approver=400, administrator=302))],
    "<slug:code>/<int:year>/approval/<int:quarter>/approve/": [
        ("post", "/jbsss/2024/approval/1/approve/", {}, site(302, **NOT_APPROVER))],
    "<slug:code>/<int:year>/approval/<int:quarter>/<int:program_id>/<slug:action>/": [
        ("post", "/jbsss/2024/approval/1/{program}/approve/", {}, site(302, **NOT_APPROVER)),
        ("post", "/jbsss/2024/approval/1/{program}/return/",
         {"return{program}-comment": "사유"}, site(302, **NOT_APPROVER)),
        ("post", "/jbsss/2024/approval/1/{program}/reopen/",
         {"reopen{program}-comment": "사유"}, site(302, **NOT_APPROVER)),
        ("post", "/jbsss/2024/approval/1/{program}/unknown/", {}, site(404, **NOT_APPROVER))],
    # After the evidence was read; the owner deletes it.
    "evidence/<int:pk>/delete/": [
        ("post", "/evidence/{evidence}/delete/", {}, site(403, owner=302))],
    # Django's admin. An administrator keeps their own institution; another
    # institution's administrator finds none of it.
    "admin/": [("get", "/admin/", {}, admin(200))],
    "admin/login/": [("get", "/admin/login/", {}, everyone(200, administrator=ADMIN_INDEX,
                                                           outside_admin=ADMIN_INDEX))],
    "admin/password_change/": [("get", "/admin/password_change/", {}, admin(200))],
    "admin/password_change/done/": [("get", "/admin/password_change/done/", {}, admin(200))],
    "admin/autocomplete/": [
        ("get", "/admin/autocomplete/?app_label=goals&model_name=program&field_name=owner",
         {}, admin(200))],
    "admin/jsi18n/": [("get", "/admin/jsi18n/", {}, admin(200))],
    "admin/r/<path:content_type_id>/<path:object_id>/": [
        ("get", "/admin/r/{program_type}/{program}/", {}, admin(404))],  # no page on the site
    "admin/^(?P<app_label>auth|axes|django_tasks_database|goals)/$": [
        ("get", "/admin/goals/", {}, admin(200)),
        ("get", "/admin/axes/", {}, admin(404))],
    "admin/(?P<url>.*)$": [("get", "/admin/nothing-here/", {}, admin(404))],
    # Logging out ends the session, so it comes last.
    "admin/logout/": [("post", "/admin/logout/", {}, everyone(ADMIN_INDEX, anonymous=LOGIN,
                                                               administrator=LOGIN,
                                                               outside_admin=LOGIN))],
    "accounts/logout/": [("post", "/accounts/logout/", {}, everyone(LOGIN))],
}

# The pages Django's admin has for each model, with what an administrator of
# ours and one of another institution get for our object.
ADMIN_PAGES = {
    "": "", "add/": "add/", "<path:object_id>/history/": "{pk}/history/",
    "<path:object_id>/delete/": "{pk}/delete/", "<path:object_id>/change/": "{pk}/change/",
    "<path:object_id>/": "{pk}/", "^([^/]+)/history/([^/]+)/$": "{pk}/history/{version}/",
}
KEEPS = {"": 200, "add/": 200, "<path:object_id>/history/": 200,
         "<path:object_id>/delete/": 200, "<path:object_id>/change/": 200,
         "<path:object_id>/": 302, "^([^/]+)/history/([^/]+)/$": 200}
FINDS_NONE = {**KEEPS, "<path:object_id>/history/": 404, "<path:object_id>/delete/": ADMIN_INDEX,
              "<path:object_id>/change/": ADMIN_INDEX, "^([^/]+)/history/([^/]+)/$": 404}
READS = {page: 403 for page in KEEPS} | {"": 200, "<path:object_id>/history/": 200,
                                         "<path:object_id>/change/": 200,
                                         "<path:object_id>/": 302}
NOTHING = {page: 403 for page in KEEPS} | {"<path:object_id>/": 302}
VERSION = "^([^/]+)/history/([^/]+)/$"  # django-simple-history's page of one version


def unversioned(pages):
    """The pages of a model whose history Django's admin keeps, not simple_history."""
    return {page: outcome for page, outcome in pages.items() if page != VERSION}


# model: (object, administrator's pages, the outside administrator's pages)
ADMIN_MODELS = {
    "goals/program": ("program", KEEPS, FINDS_NONE),
    "goals/indicator": ("indicator", KEEPS, FINDS_NONE),
    # Last year's actuals are in a closed year: read, not changed.
    "goals/result": ("result", KEEPS | {"<path:object_id>/delete/": 403}, FINDS_NONE),
    "goals/plan": ("plan", KEEPS, FINDS_NONE),
    "goals/category": ("category", KEEPS, FINDS_NONE),
    "goals/unitproject": ("unit_project", KEEPS, FINDS_NONE),
    # Institutions come and go with a superuser.
    "goals/institution": ("institution", KEEPS | {"add/": 403, "<path:object_id>/delete/": 403},
                          FINDS_NONE | {"add/": 403, "<path:object_id>/delete/": 403}),
    "goals/generalstatus": ("status", KEEPS, FINDS_NONE),
    "goals/evaluationscheme": ("scheme", KEEPS, FINDS_NONE),
    "goals/execution": ("execution", KEEPS, FINDS_NONE),
    # Targets are set on the program's page; here they are revised.
    "goals/target": ("target", KEEPS | {"add/": 403, "<path:object_id>/delete/": 403},
                     FINDS_NONE | {"add/": 403, "<path:object_id>/delete/": 403}),
    # A quarter moves through the entry and approval pages only.
    "goals/submission": ("submission", READS | {VERSION: 200},
                         FINDS_NONE | {"add/": 403, "<path:object_id>/delete/": 403}),
    "auth/user": ("user", unversioned(KEEPS),
                  unversioned(FINDS_NONE) | {"<path:object_id>/history/": ADMIN_INDEX}),
    # The roles are shared by all institutions: read, not changed.
    "auth/group": ("group", unversioned(READS), unversioned(READS)),
    # The lockout records belong to a superuser.
    "axes/accessattempt": ("attempt", unversioned(NOTHING), unversioned(NOTHING)),
    "axes/accesslog": ("access_log", unversioned(NOTHING), unversioned(NOTHING)),
    "axes/accessfailurelog": ("failure_log", unversioned(NOTHING), unversioned(NOTHING)),
    # The queue of background tasks (django-tasks-db) is a superuser's to look at.
    "django_tasks_database/dbtaskresult": ("task", unversioned(NOTHING), unversioned(NOTHING)),
}
for model, (obj, administrator, outside_admin) in ADMIN_MODELS.items():
    for page, path in ADMIN_PAGES.items():
        if page not in administrator:
            continue
        url = f"/admin/{model}/" + path.format(pk=f"{{{obj}}}", version=f"{{{obj}_version}}")
        MATRIX.setdefault(f"admin/{model}/{page}", []).append(
            ("get", url, {}, admin(administrator[page], outside_admin[page])))
MATRIX["admin/auth/user/<id>/password/"] = [
    ("get", "/admin/auth/user/{user}/password/", {}, admin(200, 404))]
# Everything above posts; logging out last.
MATRIX = dict(sorted(MATRIX.items(), key=lambda item: item[0].endswith("logout/")))


def routes(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from routes(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern)


def test_no_url_is_left_out():
    assert set(routes(get_resolver().url_patterns)) == set(MATRIX)


def outcome(response):
    if response.status_code != 302:
        return response.status_code
    location = response["Location"]
    if location.startswith(("/accounts/login/", "/admin/login/")):
        return LOGIN
    return ADMIN_INDEX if location == "/admin/" else 302


@pytest.fixture
def users(institution, staff, other_staff):
    other = Institution.objects.create(code="other", name="다른 기관")
    made = {"owner": staff, "other_staff": other_staff, "outsider":
            make_user(other, roles.DIRECTOR, "outsider")}
    for role, name in [("approver", roles.APPROVER), ("director", roles.DIRECTOR),
                       ("reviewer", roles.REVIEWER), ("administrator", roles.ADMINISTRATOR),
                       ("no_role", None)]:
        made[role] = make_user(institution, name, role)
    made["outside_admin"] = make_user(other, roles.ADMINISTRATOR, "outside_admin")
    for role in ADMINS:
        made[role].is_staff = True
        made[role].save()
    return made


@pytest.fixture
def objects(settings, tmp_path, plan_2024, staff, outsourcing, care):
    """Our institution's object of each kind, with a version in its history."""
    settings.MEDIA_ROOT = tmp_path
    indicator = outsourcing.indicators.first()
    made = {
        "program": outsourcing, "indicator": indicator, "plan": plan_2024,
        "unit_project": outsourcing.unit_projects.first(),
        "category": outsourcing.category, "institution": plan_2024.institution,
        "status": GeneralStatus.objects.filter(institution=plan_2024.institution).first(),
        "result": Result.objects.filter(indicator__program__category__plan__year=2023).first(),
        "submission": Submission.objects.get_or_create(program=outsourcing, quarter=1)[0],
        "scheme": EvaluationScheme.objects.create(institution=plan_2024.institution, year=2024,
                                                  name="평가 체계"),
        "target": Target.objects.get(indicator=indicator, year=2024),
        "execution": Execution.objects.create(program=outsourcing, quarter=2, amount_won=1000),
    }
    for name, obj in list(made.items()):
        if not obj.history.exists():  # last year's actuals are locked, and have one
            obj.save()
        made[f"{name}_version"] = obj.history.latest().history_id
    made.update(
        user=staff, group=Group.objects.get(name=roles.STAFF),
        program_type=ContentType.objects.get_for_model(Program).pk,
        evidence=entry.add_evidence(staff, outsourcing, 1,
                                    SimpleUploadedFile("보고서.pdf", b"%PDF-1.7\n")),
        attempt=AccessAttempt.objects.create(username="kim", ip_address="10.0.0.1",
                                             failures_since_start=1),
        access_log=AccessLog.objects.create(username="kim", ip_address="10.0.0.1"),
        failure_log=AccessFailureLog.objects.create(username="kim", ip_address="10.0.0.1"),
        export=exports.request_export(staff, plan_2024.institution, 2024, format="hwpx")[0],
        task=DBTaskResult.objects.create(args_kwargs={"args": [], "kwargs": {}},
                                         task_path="reports.tasks.render_export",
                                         backend_name="default", run_after=timezone.now()),
    )
    return {name: getattr(obj, "pk", obj) for name, obj in made.items()}


def state():
    """What no request in the matrix may change (the owner deletes evidence)."""
    return (list(Result.objects.order_by("pk").values_list("pk", "value", "state", "version")),
            list(Submission.objects.values_list("program", "quarter", "status")),
            list(Execution.objects.values_list("program", "quarter", "amount_won")),
            Category.objects.count(), Program.objects.count())


@pytest.mark.parametrize("role", ROLES)
def test_every_url_for_every_role(client, users, objects, role):
    before = state()
    seen, expected = {}, {}
    for _route, requests in MATRIX.items():
        for method, url, data, outcomes in requests:
            if role != "anonymous":
                client.force_login(users[role])  # again, after a logout
            url = url.format(**objects)
            data = {name.format(**objects): value for name, value in data.items()}
            seen[url] = outcome(getattr(client, method)(url, data))
            expected[url] = outcomes[role]
    assert seen == expected
    assert state() == before
    assert Evidence.objects.filter(pk=objects["evidence"]).exists() == (role != "owner")


def test_an_id_from_another_institution_is_not_found(client, staff, outsourcing):
    other = build_synthetic_plan(indicators=5, code="elsewhere")
    their_program = other.plans.get(year=2024).categories.first().programs.first()
    their_program.owner = staff
    their_program.save()
    client.force_login(staff)
    # Under our institution's address, their program does not exist.
    assert client.post(f"/jbsss/2024/entry/1/{their_program.pk}/", {}).status_code == 404
    assert client.get(f"/jbsss/2024/programs/{their_program.pk}/").status_code == 404
    assert client.get("/elsewhere/2024/entry/1/").status_code == 404
