"""``/public/…`` (the portal) and ``/open-data/…``, both included from config/urls (no namespace: stable names)."""

from django.urls import path, re_path

from qualityplan.public import views

portal = [
    path("", views.home, name="public-home"),
    path("p/<str:slug>/", views.publication_view, name="public-publication"),
    path("p/<str:slug>/targets/<str:code>/", views.target, name="public-target"),
    path("credit/", views.credit, name="public-credit"),
    path("calendar/", views.calendar_page, name="public-calendar"),
    path("calendar.ics", views.calendar_ics, name="public-calendar-ics"),
    path("manage/", views.manage, name="public-manage"),
    re_path(r"^(?P<kind>[a-z_]+)/(?P<key>[^/]+)/$", views.item, name="public-item"),
]

open_data = [
    path("", views.open_data, name="open-data"),
    path("catalog.json", views.open_data_catalog, name="open-data-catalog"),
    path("dictionary/", views.open_data_dictionary, name="open-data-dictionary"),
    re_path(r"^(?P<dataset>[a-z_]+-[^/]+)\.(?P<fmt>csv|json)$", views.open_data_file, name="open-data-file"),
]
