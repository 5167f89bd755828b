from django.urls import path

from .views import dashboard, evidence

app_name = "goals"

urlpatterns = [
    path("evidence/<int:pk>/", evidence.download, name="evidence"),
    path("<slug:code>/<int:year>/", dashboard.overview, name="overview"),
]
