from django.urls import path

from .views import dashboard, evidence

app_name = "goals"

urlpatterns = [
    path("evidence/<int:pk>/", evidence.download, name="evidence"),
    path("<slug:code>/compare/", dashboard.compare, name="compare"),
    path("<slug:code>/<int:year>/", dashboard.overview, name="overview"),
    path("<slug:code>/<int:year>/programs/<int:pk>/", dashboard.program, name="program"),
    path("<slug:code>/<int:year>/indicators/<int:pk>/", dashboard.indicator, name="indicator"),
]
