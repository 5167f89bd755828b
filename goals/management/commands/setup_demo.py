from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.translation import gettext as _

from goals import roles
from goals.examples import add_examples
from goals.models import EvaluationScheme, Institution, Program

DEMO_PASSWORD = "demo-goals-2024"

# username, full name, roles, the programs they own (category order, number)
DEMO_USERS = [
    ("admin", "관리자", [roles.ADMINISTRATOR], []),
    ("approver", "경영기획팀장", [roles.APPROVER], []),
    ("director", "원장", [roles.DIRECTOR], []),
    ("reviewer", "도 담당자", [roles.REVIEWER], []),
    ("staff1", "담당자 1", [roles.STAFF], [(1, 1), (1, 2), (2, 1), (2, 2), (3, 1), (3, 2), (4, 1)]),
    ("staff2", "담당자 2", [roles.STAFF], [(4, 2), (4, 3), (4, 4), (5, 1), (5, 2), (5, 3), (5, 4)]),
]


class Command(BaseCommand):
    help = _("문서를 적재하고(비어 있으면) 역할별 데모 사용자와 그해 1~3분기의 예시 실적을 만든 뒤 "
             "로그인 정보를 출력합니다. 예시는 remove_examples 명령으로 지웁니다.")

    def handle(self, *args, **options):
        loaded = not Institution.objects.exists()
        if loaded:
            call_command("load_document", stdout=self.stdout)
        if not EvaluationScheme.objects.exists():
            # Examples, marked as such, until checked against the year's 평가편람.
            call_command("load_schemes", stdout=self.stdout)
        with transaction.atomic():
            groups = roles.ensure_groups()
            institution = Institution.objects.order_by("id").first()
            plan = institution.plans.order_by("-year").first()
            for username, name, role_names, owned in DEMO_USERS:
                user = self.demo_user(username, name, role_names, groups)
                institution.members.add(user)
                for category_order, number in owned:
                    program = Program.objects.get(category__plan=plan, number=number,
                                                  category__order=category_order)
                    program.owner = user
                    program.save()
            if loaded:
                # A freshly loaded year gets example results once; once removed
                # they stay removed.
                add_examples(plan, get_user_model().objects.get(username="approver"))
                self.stdout.write(_("%(year)s년 1~3분기 예시 실적을 넣었습니다(예시 데이터). "
                                    "지우려면: python manage.py remove_examples")
                                  % {"year": plan.year})
        self.stdout.write(_("데모 로그인 (비밀번호 모두 %(password)s):") % {"password": DEMO_PASSWORD})
        for username, name, role_names, _owned in DEMO_USERS:
            self.stdout.write(f"  {username:<10} {', '.join(role_names)} ({name})")

    def demo_user(self, username, name, role_names, groups):
        user, _created = get_user_model().objects.get_or_create(username=username)
        user.first_name = name
        user.is_staff = roles.ADMINISTRATOR in role_names
        user.set_password(DEMO_PASSWORD)
        user.save()
        user.groups.set([groups[role] for role in role_names])
        return user
