from django.utils.functional import SimpleLazyObject

from . import access, roles, todo
from .models import Notification, Result


def navigation(request):
    """What the header needs: the user's institutions and what they may do,
    and whether the demo's example results (goals.examples) are there."""
    has_examples = SimpleLazyObject(lambda: Result.objects.filter(is_example=True).exists())
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"has_examples": has_examples}
    return {
        "nav_institutions": access.institutions_of(user),
        "nav_is_staff": roles.has_role(user, roles.STAFF),
        "nav_is_approver": roles.has_role(user, roles.APPROVER),
        "nav_is_administrator": user.is_staff,
        "nav_is_internal": access.is_internal(user),
        "nav_has_todo": roles.has_role(user, roles.STAFF, roles.APPROVER, roles.DIRECTOR),
        # Read only when the header is written: 반려 1, 승인 대기 3.
        "nav_counts": SimpleLazyObject(lambda: todo.navigation_counts(user)),
        "nav_unread": SimpleLazyObject(lambda: Notification.objects.filter(
            user=user, read_at__isnull=True,
            institution__in=access.institutions_of(user)).count()),
        "has_examples": has_examples,
    }
