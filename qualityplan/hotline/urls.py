from django.urls import path

from qualityplan.hotline import views

app_name = "hotline"
urlpatterns = [
    path("", views.order_list, name="orders"),
    path("orders/new/", views.order_create, name="order-create"),
    path("orders/<int:pk>/", views.order_detail, name="order"),
    path("orders/<int:pk>/do/<str:action>/", views.order_action, name="order-action"),
    path("orders/<int:pk>/attachments/", views.attachment_add, name="attachment-add"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment"),
    path("import/", views.order_import, name="import"),
    path("notices/", views.notice_list, name="notices"),
    path("kpi/", views.kpi_page, name="kpi"),
    path("catalogue/", views.catalogue, name="catalogue"),
    path("export.xlsx", views.export, name="export"),
]
