"""People as the goal book names them, on every page and in every export."""

from django.utils.translation import gettext as _


def display_name(user, nobody=""):
    """A user's name: the full name, else the username; `nobody` for no user."""
    if user is None:
        return nobody
    return user.get_full_name() or user.get_username()


def saved_by(user):
    """Who saved a value, for a message about it; never empty."""
    return display_name(user, nobody=_("알 수 없는 사용자"))
