from django.urls import path

from qualityplan.monitoring import views

app_name = "monitoring"
urlpatterns = [
    path("imports/", views.imports, name="imports"),
    path("imports/<int:pk>/", views.import_detail, name="import-detail"),
    path("imports/<int:pk>/progress/", views.import_progress, name="import-progress"),
    path("imports/<int:pk>/retry/", views.import_retry, name="import-retry"),
    path("imports/<int:pk>/withdraw/", views.import_withdraw, name="import-withdraw"),
    path("imports/<int:pk>/replace/", views.import_replace, name="import-replace"),
    path("imports/templates/<str:kind>.<str:fmt>", views.import_template, name="import-template"),
    path("catalogue/", views.catalogue, name="catalogue"),
    path("records/<str:kind>/", views.records, name="records"),
    path("stations/", views.stations, name="stations"),
]
