from django.urls import path

from qualityplan.plans import views

app_name = "plans"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("targets/", views.targets, name="targets"),
    path("measures/<int:pk>/", views.measure_detail, name="measure"),
    path("matrix/", views.matrix, name="matrix"),
]
