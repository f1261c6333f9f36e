from django.urls import path

from qualityplan.core import views

urlpatterns = [
    path("history/<str:app_label>/<str:model>/<str:pk>/", views.object_history, name="object-history"),
]
