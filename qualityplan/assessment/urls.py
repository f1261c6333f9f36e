from django.urls import path

from qualityplan.assessment import views

app_name = "assessment"
urlpatterns = [
    path("", views.rounds, name="rounds"),
    path("rounds/open/", views.round_open, name="round_open"),
    path("rounds/<int:pk>/", views.round_detail, name="round"),
    path("rounds/<int:pk>/transition/", views.round_transition, name="round_transition"),
    path("rounds/<int:pk>/score/", views.round_score, name="round_score"),
    path("rounds/<int:pk>/veto/", views.veto_record, name="veto"),
    path("rounds/<int:pk>/report.docx", views.report_docx, name="report_docx"),
    path("rounds/<int:pk>/results.xlsx", views.results_xlsx, name="results_xlsx"),
    path("rounds/<int:pk>/units/<int:unit_id>/", views.unit_detail, name="unit"),
    path("rounds/<int:pk>/units/<int:unit_id>/submit/", views.unit_submit, name="unit_submit"),
    path("rounds/<int:pk>/units/<int:unit_id>/verify/", views.unit_verify, name="unit_verify"),
    path("rounds/<int:pk>/units/<int:unit_id>/sheet.docx", views.sheet_docx, name="sheet_docx"),
    path("rounds/<int:pk>/units/<int:unit_id>/sheet.xlsx", views.sheet_xlsx, name="sheet_xlsx"),
    path("items/<int:pk>/self/", views.item_self, name="item_self"),
    path("items/<int:pk>/verify/", views.item_verify, name="item_verify"),
    path("summaries/<int:unit_id>/<int:year>/<str:kind>.docx", views.summary_docx, name="summary_docx"),
    path("schemes/<int:pk>/", views.scheme_detail, name="scheme"),
    path("schemes/<int:pk>/edit/", views.scheme_edit, name="scheme_edit"),
]
