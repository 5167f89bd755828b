"""
The background tasks of the reports, on Django's Tasks API (the django-tasks
backport until Django 6, whose django.tasks has the same names). A worker
process runs them: `python manage.py db_worker` (see the README).
"""

from django_tasks import task

from . import exports


@task()
def render_export(export_id, attempt):
    """Make an export's file (reports.exports.run)."""
    exports.run(export_id, attempt)
