"""Ledger API: tasks (create, edit, report progress), cooperating parts, summaries (submit, return, accept)."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from qualityplan.core import clock
from qualityplan.core.concurrency import VersionedViewSetMixin
from qualityplan.core.permissions import AuthenticatedWriter
from qualityplan.ledger import selectors, services
from qualityplan.ledger.api import serializers as s
from qualityplan.ledger.forms import TaskFilterForm
from qualityplan.ledger.models import Summary, TaskPart
from qualityplan.orgs.models import Unit
from qualityplan.plans.models import Measure


class TaskViewSet(VersionedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Tasks of the user's unit and tasks where it has a cooperating part (office: all). Filters: status, unit,
    measure, overdue=1, q."""

    permission_classes = [AuthenticatedWriter]

    def get_queryset(self):
        form = TaskFilterForm(self.request.query_params)
        if not form.is_valid():
            raise ValidationError(form.errors)
        return selectors.task_list(user=self.request.user, filters=form.cleaned_data)

    def get_serializer_class(self):
        return s.TaskDetailOutputSerializer if self.action == "retrieve" else s.TaskOutputSerializer

    def create(self, request):
        data = s.TaskCreateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        measure = get_object_or_404(Measure.objects.restrict(request.user), pk=d["measure"])
        unit = get_object_or_404(Unit, pk=d["unit"]) if d.get("unit") else None
        units = {u.pk: u for u in Unit.objects.filter(pk__in=[int(p.get("unit", 0)) for p in d["parts"]])}
        task = services.task_create(
            user=request.user,
            measure=measure,
            unit=unit,
            title=d["title"],
            owner_name=d["owner_name"],
            owner_phone=d["owner_phone"],
            deadline=d["deadline"],
            expected_output=d["expected_output"],
            milestones=[(m.get("title", ""), m.get("due_date")) for m in d["milestones"]],
            parts=[
                (units[int(p["unit"])], p.get("description", ""), p.get("deadline"))
                for p in d["parts"]
                if int(p.get("unit", 0)) in units
            ],
        )
        return Response(s.TaskDetailOutputSerializer(task).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        data = s.TaskUpdateInputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        task = services.task_update(user=request.user, task=self.get_object(), data=data.validated_data)
        return Response(s.TaskOutputSerializer(task).data)

    @action(detail=True, methods=["post"])
    def progress(self, request, pk=None):
        task = self.get_object()
        data = s.ProgressInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        part = get_object_or_404(TaskPart, pk=d["part"], task=task) if d.get("part") else None
        milestone = task.milestones.filter(pk=d["milestone"]).first() if d.get("milestone") else None
        update = services.progress_report(
            user=request.user,
            task=task,
            part=part,
            milestone=milestone,
            status=d["status"],
            narrative=d["narrative"],
            reason=d["reason"],
            files=d["files"],
        )
        return Response(s.ProgressOutputSerializer(update).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=s.ProgressOutputSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None)
    def updates(self, request, pk=None):
        task = self.get_object()
        return Response(s.ProgressOutputSerializer(task.updates.all(), many=True).data)


class PartViewSet(VersionedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Cooperating parts of the user's unit (office: all)."""

    serializer_class = s.PartOutputSerializer
    permission_classes = [AuthenticatedWriter]

    def get_queryset(self):
        return selectors.part_list(user=self.request.user).order_by("id")


class SummaryViewSet(VersionedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = s.SummaryOutputSerializer
    permission_classes = [AuthenticatedWriter]

    def get_queryset(self):
        qs = Summary.objects.restrict(self.request.user).select_related("unit").order_by("due_date", "unit__sort_order")
        for key in ("kind", "status", "plan"):
            if self.request.query_params.get(key):
                qs = qs.filter(**{key: self.request.query_params[key]})
        return qs

    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        data = s.SummarySubmitInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        summary = services.summary_submit(
            user=request.user,
            summary=self.get_object(),
            text=d["text"],
            next_year_plan=d["next_year_plan"],
            file=d.get("file"),
        )
        return Response(s.SummaryOutputSerializer(summary).data)

    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request, pk=None):
        data = s.SummaryReturnInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        summary = services.summary_return(
            user=request.user, summary=self.get_object(), reason=data.validated_data["reason"]
        )
        return Response(s.SummaryOutputSerializer(summary).data)

    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        return Response(
            s.SummaryOutputSerializer(services.summary_accept(user=request.user, summary=self.get_object())).data
        )

    @extend_schema(
        parameters=[OpenApiParameter("kind", str, required=False, enum=["half_year", "annual"])],
        responses=inline_serializer(
            "SummaryBoard",
            {
                "counts": serializers.DictField(child=serializers.IntegerField()),
                "timeliness_rate": serializers.FloatField(allow_null=True),
                "rule": serializers.CharField(),
                "rows": inline_serializer(
                    "SummaryBoardRow",
                    {
                        "id": serializers.IntegerField(),
                        "unit_code": serializers.CharField(),
                        "kind": serializers.CharField(),
                        "due": serializers.DateField(allow_null=True),
                        "column": serializers.CharField(),
                    },
                    many=True,
                ),
            },
        ),
    )
    @action(detail=False, methods=["get"])
    def board(self, request):
        from qualityplan.plans.selectors import plan_current

        plan = plan_current(user=request.user)
        data = selectors.submission_board(
            user=request.user, plan=plan, kind=request.query_params.get("kind"), today=clock.today()
        )
        return Response(
            {
                "counts": data["counts"],
                "timeliness_rate": data["timeliness_rate"],
                "rule": data["rule"],
                "rows": [
                    {
                        "id": r["summary"].pk,
                        "unit_code": r["summary"].unit.code,
                        "kind": r["summary"].kind,
                        "due": r["due"],
                        "column": r["column"],
                    }
                    for r in data["rows"]
                ],
            }
        )
