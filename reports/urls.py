from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("<slug:code>/<int:year>/report.<str:kind>", views.download, name="download"),
    path("<slug:code>/upload/", views.upload, name="upload"),
]
