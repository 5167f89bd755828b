from django.urls import path

from .views import approval, dashboard, entry, evaluation, evidence, notifications, todo

app_name = "goals"

urlpatterns = [
    path("evidence/<int:pk>/", evidence.download, name="evidence"),
    # The user's own notifications (the bell), and marking them read.
    path("notifications/", notifications.page, name="notifications"),
    path("notifications/read/", notifications.read_all, name="notifications_read"),
    path("session/keepalive/", notifications.keepalive, name="session_keepalive"),
    path("evidence/<int:pk>/delete/", entry.delete_evidence, name="evidence_delete"),
    path("<slug:code>/compare/", dashboard.compare, name="compare"),
    path("<slug:code>/<int:year>/", dashboard.overview, name="overview"),
    path("<slug:code>/<int:year>/programs/<int:pk>/", dashboard.program, name="program"),
    path("<slug:code>/<int:year>/indicators/<int:pk>/", dashboard.indicator, name="indicator"),
    # The evaluation the year is heading for: the institution's page, the
    # reviewer's read-only page, and the simulator of next year's targets.
    path("<slug:code>/<int:year>/evaluation/", evaluation.page, name="evaluation"),
    path("<slug:code>/<int:year>/evaluation/review/", evaluation.review,
         name="evaluation_review"),
    path("<slug:code>/<int:year>/evaluation/simulator/", evaluation.simulator,
         name="target_simulator"),
    # The landing page: what the user has to do in the open quarter, or another.
    path("<slug:code>/<int:year>/todo/", todo.page, name="todo"),
    path("<slug:code>/<int:year>/todo/<int:quarter>/", todo.page, name="todo_quarter"),
    # The staff member's quarter: values, evidence, the Excel sheet, submission.
    path("<slug:code>/<int:year>/entry/", entry.start, name="entry_start"),
    path("<slug:code>/<int:year>/entry/<int:quarter>/", entry.page, name="entry"),
    path("<slug:code>/<int:year>/entry/<int:quarter>/save/", entry.save_all,
         name="entry_save_all"),
    path("<slug:code>/<int:year>/entry/<int:quarter>/submit/", entry.submit_all,
         name="entry_submit_all"),
    path("<slug:code>/<int:year>/entry/<int:quarter>/sheet.xlsx", entry.sheet,
         name="entry_sheet"),
    path("<slug:code>/<int:year>/entry/<int:quarter>/sheet/", entry.upload_sheet,
         name="entry_upload"),
    path("<slug:code>/<int:year>/entry/<int:quarter>/<int:program_id>/", entry.save,
         name="entry_save"),
    path("<slug:code>/<int:year>/entry/<int:quarter>/<int:program_id>/execution/",
         entry.save_execution, name="execution_save"),
    path("<slug:code>/<int:year>/entry/<int:quarter>/<int:program_id>/submit/", entry.submit,
         name="entry_submit"),
    path("<slug:code>/<int:year>/entry/<int:quarter>/<int:program_id>/evidence/",
         entry.add_evidence, name="evidence_add"),
    # The approver's quarter.
    path("<slug:code>/<int:year>/approval/", approval.start, name="approval_start"),
    path("<slug:code>/<int:year>/approval/<int:quarter>/", approval.page, name="approval"),
    path("<slug:code>/<int:year>/approval/<int:quarter>/remind/", approval.remind,
         name="approval_remind"),
    path("<slug:code>/<int:year>/approval/<int:quarter>/due/", approval.set_due,
         name="approval_due"),
    path("<slug:code>/<int:year>/approval/<int:quarter>/approve/", approval.approve_many,
         name="approval_many"),
    path("<slug:code>/<int:year>/approval/<int:quarter>/<int:program_id>/<slug:action>/",
         approval.step, name="approval_step"),
]
