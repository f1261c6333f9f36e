from django.urls import path

from qualityplan.plans import views

app_name = "plans"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("targets/", views.targets, name="targets"),
    path("targets/<int:pk>/edit/", views.target_edit, name="target-edit"),
    path("<int:pk>/compare/", views.compare, name="compare"),
    path("<int:pk>/<str:action>/", views.plan_lifecycle, name="lifecycle"),
    path("measures/", views.measures, name="measures"),
    path("measures/<int:pk>/", views.measure_detail, name="measure"),
    path("matrix/", views.matrix, name="matrix"),
    path("import/", views.import_list, name="import"),
    path("import/<int:pk>/", views.import_review, name="import-review"),
    path("import/<int:pk>/items/<str:kind>/<int:index>/", views.import_edit, name="import-edit"),
    path("import/<int:pk>/commit/", views.import_commit, name="import-commit"),
    path("import/<int:pk>/methods/<int:index>/", views.import_method, name="import-method"),
    path("import/<int:pk>/case.json", views.import_case, name="import-case"),
]
