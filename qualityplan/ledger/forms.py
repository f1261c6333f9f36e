from django import forms
from django.utils.translation import gettext_lazy as _

from qualityplan.core.text import CleanTextForm
from qualityplan.ledger.choices import TaskStatus
from qualityplan.orgs.models import Unit
from qualityplan.plans.models import Measure


class DateInput(forms.DateInput):
    input_type = "date"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


class TaskForm(CleanTextForm):
    measure = forms.ModelChoiceField(label=_("工作措施"), queryset=Measure.objects.none())
    unit = forms.ModelChoiceField(label=_("牵头单位"), queryset=Unit.objects.none(), required=False)
    title = forms.CharField(label=_("任务"), max_length=300)
    owner_name = forms.CharField(label=_("责任人"), max_length=50)
    owner_phone = forms.CharField(label=_("联系电话"), max_length=30, required=False)
    deadline = forms.DateField(label=_("完成时限"), widget=DateInput)
    expected_output = forms.CharField(label=_("预期成果"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    milestones = forms.CharField(
        label=_("里程碑（每行：节点|YYYY-MM-DD）"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    part_unit_1 = forms.ModelChoiceField(label=_("配合单位 1"), queryset=Unit.objects.all(), required=False)
    part_desc_1 = forms.CharField(label=_("分工 1"), required=False)
    part_unit_2 = forms.ModelChoiceField(label=_("配合单位 2"), queryset=Unit.objects.all(), required=False)
    part_desc_2 = forms.CharField(label=_("分工 2"), required=False)
    part_unit_3 = forms.ModelChoiceField(label=_("配合单位 3"), queryset=Unit.objects.all(), required=False)
    part_desc_3 = forms.CharField(label=_("分工 3"), required=False)

    def __init__(self, *args, measures=None, office=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["measure"].queryset = measures if measures is not None else Measure.objects.none()
        if office:
            self.fields["unit"].queryset = Unit.objects.all()
            self.fields["unit"].required = True
        else:
            del self.fields["unit"]

    def clean_milestones(self):
        import datetime as dt

        rows = []
        for line in self.cleaned_data["milestones"].splitlines():
            if not line.strip():
                continue
            title, _sep, date = line.partition("|")
            try:
                due = dt.date.fromisoformat(date.strip()) if date.strip() else None
            except ValueError as exc:
                raise forms.ValidationError(_("日期格式应为 YYYY-MM-DD：%(line)s"), params={"line": line}) from exc
            rows.append((title.strip(), due))
        return rows

    def parts(self):
        out = []
        for i in (1, 2, 3):
            unit, desc = self.cleaned_data.get(f"part_unit_{i}"), self.cleaned_data.get(f"part_desc_{i}")
            if unit and desc:
                out.append((unit, desc, None))
        return out


class ProgressForm(CleanTextForm):
    part = forms.IntegerField(widget=forms.HiddenInput, required=False)
    status = forms.ChoiceField(label=_("状态"), choices=TaskStatus.choices)
    milestone = forms.IntegerField(label=_("达成节点"), required=False, widget=forms.Select)
    narrative = forms.CharField(label=_("进展情况"), widget=forms.Textarea(attrs={"rows": 3}))
    reason = forms.CharField(label=_("取消/滞后原因"), required=False)
    files = MultipleFileField(label=_("佐证材料"), required=False)


class SummaryForm(CleanTextForm):
    text = forms.CharField(label=_("总结内容"), widget=forms.Textarea(attrs={"rows": 8}), required=False)
    next_year_plan = forms.CharField(
        label=_("下年度工作计划"), widget=forms.Textarea(attrs={"rows": 5}), required=False
    )
    file = forms.FileField(label=_("附件"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ReturnForm(CleanTextForm):
    reason = forms.CharField(label=_("退回原因"), widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


MAX_ID = 2**31 - 1


class TaskFilterForm(CleanTextForm):
    """Query parameters of the task list (web and API): a bad value is a 400 naming the parameter."""

    status = forms.ChoiceField(choices=[("", "---"), *TaskStatus.choices], required=False)
    unit = forms.IntegerField(min_value=1, max_value=MAX_ID, required=False)
    measure = forms.IntegerField(min_value=1, max_value=MAX_ID, required=False)
    overdue = forms.TypedChoiceField(
        choices=[("", ""), ("1", "1"), ("0", "0"), ("true", "true"), ("false", "false")],
        coerce=lambda v: v in ("1", "true"),
        empty_value=False,
        required=False,
    )
    q = forms.CharField(max_length=100, required=False)
    plan = forms.IntegerField(min_value=1, max_value=MAX_ID, required=False)
