from django.urls import path

from qualityplan.indicators import views

app_name = "indicators"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("dashboard.json", views.dashboard_json, name="dashboard-json"),
    path("evaluate/", views.evaluate_now, name="evaluate"),
    path("runs/", views.runs, name="runs"),
    path("methods/", views.methods, name="methods"),
    path("runs/<int:pk>/", views.run_detail, name="run"),
    path("targets/<str:code>/", views.target_detail, name="target"),
    path("reports/", views.reports, name="reports"),
    path("reports/open/<str:period>/", views.report_open, name="report-open"),
    path("reports/<int:pk>/", views.report, name="report"),
    path("completeness/", views.completeness, name="completeness"),
    path("registry/", views.registry, name="registry"),
]
