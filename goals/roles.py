"""
Who does what, as Django groups. A user belongs to institutions (members)
and holds one or more roles.
"""

from django.contrib.auth.models import Group, Permission
from django.utils.translation import gettext_lazy as _

STAFF = "담당자"  # enters the results of the programs they own
APPROVER = "승인자"  # approves, returns and reopens quarters; keeps targets and budgets
DIRECTOR = "원장"  # reads everything of the institution
REVIEWER = "검토자"  # reads, e.g. the province
ADMINISTRATOR = "관리자"  # keeps the structure and the users

ROLES = [STAFF, APPROVER, DIRECTOR, REVIEWER, ADMINISTRATOR]
ROLE_DESCRIPTIONS = {
    STAFF: _("맡은 사업의 분기 실적을 입력합니다."),
    APPROVER: _("분기 실적을 승인·반려·재개합니다."),
    DIRECTOR: _("기관의 모든 현황을 봅니다."),
    REVIEWER: _("보고서와 현황을 읽기만 합니다."),
    ADMINISTRATOR: _("목표 체계와 사용자를 관리합니다."),
}


def ensure_groups():
    """Create the role groups; the administrator may edit the structure in the admin."""
    groups = {name: Group.objects.get_or_create(name=name)[0] for name in ROLES}
    structure = Permission.objects.filter(content_type__app_label="goals")
    # The roles are shared by every institution: an administrator gives them
    # to users but does not change what they allow.
    users = Permission.objects.filter(content_type__app_label="auth", content_type__model="user")
    view_roles = Permission.objects.filter(content_type__app_label="auth",
                                           codename="view_group")
    groups[ADMINISTRATOR].permissions.set([*structure, *users, *view_roles])
    return groups


def has_role(user, *roles):
    if not user.is_authenticated:
        return False
    names = getattr(user, "_role_names", None)
    if names is None:
        names = set(user.groups.values_list("name", flat=True))
        user._role_names = names
    return bool(names.intersection(roles))
