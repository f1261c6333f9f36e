from django.urls import path

from qualityplan.risk import views

app_name = "risk"
urlpatterns = [
    path("", views.risk_list, name="list"),
    path("new/", views.risk_create, name="create"),
    path("import/", views.risk_import, name="import"),
    path("signals/", views.signal_list, name="signals"),
    path("bulletin/", views.bulletin, name="bulletin"),
    path("signals/open/", views.signal_open, name="signal-open"),
    path("signals/auto-open/", views.auto_open_settings, name="auto-open"),
    path("samples/<int:pk>/open/", views.sample_open, name="sample-open"),
    path("<int:pk>/", views.risk_detail, name="detail"),
    path("<int:pk>/loop/", views.risk_loop, name="loop"),
    path("<int:pk>/review/", views.risk_review, name="review"),
    path("<int:pk>/disposals/", views.disposal_create, name="disposal-create"),
    path("<int:pk>/close/", views.risk_close, name="close"),
    path("<int:pk>/evidence/", views.evidence_add, name="evidence-add"),
    path("<int:pk>/samples/collect/", views.samples_collect, name="samples-collect"),
    path("disposals/<int:pk>/complete/", views.disposal_complete, name="disposal-complete"),
]
