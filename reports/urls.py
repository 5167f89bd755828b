from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("<slug:code>/<int:year>/exports/", views.start_export, name="start_export"),
    path("<slug:code>/<int:year>/exports/<int:pk>/", views.export_page, name="export"),
    path("<slug:code>/<int:year>/exports/<int:pk>/status/", views.export_status,
         name="export_status"),
    path("<slug:code>/<int:year>/exports/<int:pk>/file/", views.export_file, name="export_file"),
    path("<slug:code>/upload/", views.upload, name="upload"),
]
