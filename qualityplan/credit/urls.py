from django.urls import path

from qualityplan.credit import views

app_name = "credit"
urlpatterns = [
    path("", views.enterprise_list, name="enterprises"),
    path("enterprises/<int:pk>/", views.enterprise_detail, name="enterprise"),
    path("events/new/", views.event_create, name="event-create"),
    path("events/<int:pk>/repair/", views.repair_apply, name="repair-apply"),
    path("events/<int:pk>/recheck/", views.recheck_record, name="recheck"),
    path("events/<int:pk>/supervise/", views.event_supervise, name="supervise"),
    path("samples/<int:pk>/event/", views.sample_event, name="sample-event"),
    path("repairs/", views.repair_list, name="repairs"),
    path("repairs/<int:pk>/decide/", views.repair_decide, name="repair-decide"),
    path("documents/<int:pk>/", views.document_download, name="document"),
    path("public/", views.public_query, name="public"),
    path("public/blacklist.csv", views.public_blacklist_csv, name="public-blacklist"),
]
