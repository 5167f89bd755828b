"""The bell: the user's own notifications, newest first, and marking them read."""

import time

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from goals import access
from goals.models import Notification


def _mine(user):
    # Only the user's own, in the institutions they are still a member of.
    return Notification.objects.filter(user=user, institution__in=access.institutions_of(user))


@login_required
def page(request):
    notifications = list(_mine(request.user).select_related("institution")[:100])
    return render(request, "goals/notifications.html", {
        "notifications": notifications, "nav_section": "notifications"})


@login_required
@require_POST
def read_all(request):
    _mine(request.user).filter(read_at__isnull=True).update(read_at=timezone.now())
    return redirect("goals:notifications")


@login_required
@require_POST
def keepalive(request):
    """계속 사용: the session starts its time again."""
    request.session["renewed_at"] = int(time.time())
    return HttpResponse(status=204)
