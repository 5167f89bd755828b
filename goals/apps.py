from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def ensure_roles(**kwargs):
    from . import roles

    roles.ensure_groups()


class GoalsConfig(AppConfig):
    name = "goals"
    verbose_name = _("경영성과 목표")

    def ready(self):
        # Every database has the roles, and each time it is migrated they get
        # the permissions this version gives them.
        post_migrate.connect(ensure_roles, sender=self)
        # Every write to an institution's goal book gives it a new data version.
        from . import versions

        versions.watch()
        # The session's time, for the warning before it ends (issue 13).
        from django.contrib.auth.signals import user_logged_in

        from .context_processors import renewed_at_login

        user_logged_in.connect(renewed_at_login, dispatch_uid="goals-session-renewed")
