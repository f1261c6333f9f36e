from django.urls import path

from qualityplan.supervision import views

app_name = "supervision"
urlpatterns = [
    path("", views.item_list, name="items"),
    path("items/new/", views.item_create, name="item-create"),
    path("items/<int:pk>/", views.item_detail, name="item"),
    path("items/<int:pk>/do/<str:action>/", views.item_action, name="item-action"),
    path("items/<int:pk>/rectifications/", views.rectification_add, name="rectification-add"),
    path("rectifications/<int:pk>/do/<str:action>/", views.rectification_action, name="rectification-action"),
    path("notices/", views.notice_list, name="notices"),
    path("export.xlsx", views.export, name="export"),
]
