from django.urls import path

from qualityplan.ledger import views

app_name = "ledger"
urlpatterns = [
    path("", views.task_list, name="tasks"),
    path("tasks/new/", views.task_create, name="task-create"),
    path("tasks/<int:pk>/", views.task_detail, name="task"),
    path("tasks/<int:pk>/supervise/", views.supervise_task, name="task-supervise"),
    path("parts/", views.part_list, name="parts"),
    path("summaries/", views.summary_list, name="summaries"),
    path("summaries/<int:pk>/", views.summary_detail, name="summary"),
    path("board/", views.board, name="board"),
    path("carry-over/", views.carry_over_view, name="carry-over"),
    path("export.xlsx", views.export, name="export"),
]
