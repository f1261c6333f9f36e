from django.urls import path

from qualityplan.orgs import views

app_name = "orgs"
urlpatterns = [
    path("", views.unit_list, name="units"),
    path("mine/", views.my_unit, name="my-unit"),
    path("profile/", views.profile, name="profile"),
    # "<str:code>/" (name "unit") is the unit page of qualityplan.plans.unit_views, mounted by config.urls
]
