import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from qualityplan.orgs.models import Unit
from qualityplan.plans.choices import Comparator, TargetGroup, TargetScope
from qualityplan.plans.models import Measure, Plan, Target
from qualityplan.plans.selectors import measures_of_unit


class PlanFilterSet(django_filters.FilterSet):
    class Meta:
        model = Plan
        fields = ["year", "version", "status"]


class TargetFilterSet(django_filters.FilterSet):
    """One FilterSet for the targets page and ``/api/v1/targets/``."""

    plan = django_filters.ModelChoiceFilter(queryset=Plan.objects.all())
    year = django_filters.NumberFilter(field_name="plan__year")
    group = django_filters.ChoiceFilter(choices=TargetGroup.choices)
    scope = django_filters.ChoiceFilter(choices=TargetScope.choices)
    comparator = django_filters.ChoiceFilter(choices=Comparator.choices)
    unit = django_filters.ModelChoiceFilter(queryset=Unit.objects.all(), method="filter_unit", label=_("单位"))
    q = django_filters.CharFilter(method="filter_q", label=_("关键词"))

    class Meta:
        model = Target
        fields = ["plan", "year", "group", "scope", "comparator", "uncertain", "code"]

    def filter_unit(self, queryset, name, value):
        if not value:
            return queryset
        condition = Q(measure__in=measures_of_unit(unit_id=value.id))
        if value.is_local_government:
            condition |= Q(scope=TargetScope.EACH_UNIT)
        return queryset.filter(condition)

    def filter_q(self, queryset, name, value):
        return queryset.filter(Q(text__icontains=value) | Q(indicator__icontains=value)) if value else queryset


class MeasureFilterSet(django_filters.FilterSet):
    plan = django_filters.ModelChoiceFilter(queryset=Plan.objects.all())
    year = django_filters.NumberFilter(field_name="plan__year")
    unit = django_filters.NumberFilter(method="filter_unit", label=_("单位 id"))
    role = django_filters.ChoiceFilter(choices=[("lead", "lead"), ("cooperating", "cooperating")], method="noop")

    class Meta:
        model = Measure
        fields = ["plan", "year", "number"]

    def noop(self, queryset, name, value: str):
        return queryset  # used together with ``unit``

    def filter_unit(self, queryset, name, value: int):
        if not value:
            return queryset
        role = self.data.get("role") or None
        return queryset.filter(id__in=measures_of_unit(unit_id=int(value), role=role).values("id"))
