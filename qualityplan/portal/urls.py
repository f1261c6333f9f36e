from django.urls import path

from qualityplan.portal import views

urlpatterns = [
    path("", views.home, name="home"),
]
