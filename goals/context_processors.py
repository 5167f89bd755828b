import time

from django.conf import settings
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
        "session_seconds": _session_seconds(request),
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


def _session_seconds(request):
    """The seconds left of the session, for the warning before it ends
    (static/goals/session.js): SESSION_COOKIE_AGE from the login or the last
    계속 사용 (renewed_at, set by them; read here, never written)."""
    session = getattr(request, "session", None)
    if session is None:
        return 0
    now = int(time.time())
    renewed = session.get("renewed_at", now)
    return max(0, settings.SESSION_COOKIE_AGE - (now - renewed))


def renewed_at_login(sender, request, user, **kwargs):
    """user_logged_in: the session's time starts (goals.apps connects it)."""
    if getattr(request, "session", None) is not None:
        request.session["renewed_at"] = int(time.time())
