from django.urls import path

from qualityplan.orgs import views

app_name = "orgs"
urlpatterns = [
    path("", views.unit_list, name="units"),
    path("mine/", views.my_unit, name="my-unit"),
    path("profile/", views.profile, name="profile"),
    path("<str:code>/", views.unit_detail, name="unit"),
]
