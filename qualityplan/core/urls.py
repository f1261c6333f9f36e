from django.urls import path

from qualityplan.core import files, views

urlpatterns = [
    path("files/<str:key>/<str:pk>/", files.download, name="file-download"),
    path("history/", views.changelog, name="changelog"),
    path("history/<str:app_label>/<str:model>/<str:pk>/", views.object_history, name="object-history"),
]
