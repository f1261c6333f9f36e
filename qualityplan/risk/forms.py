from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from qualityplan.orgs.models import Unit
from qualityplan.risk.choices import REVIEW_STAGES, DisposalKind, InfoGrade, Probability, Severity, SourceType, Stage

DATE = forms.DateInput(attrs={"type": "date"})


def _units():
    return Unit.objects.order_by("sort_order", "code")


class RiskForm(forms.Form):
    source_type = forms.ChoiceField(label=_("信息来源"), choices=SourceType.choices)
    source_ref = forms.CharField(label=_("来源编号"), max_length=100, required=False)
    title = forms.CharField(label=_("标题"), max_length=200, required=False)
    product_category = forms.CharField(label=_("产品/服务类别"), max_length=100)
    product_name = forms.CharField(label=_("产品名称"), max_length=200, required=False)
    region = forms.ModelChoiceField(label=_("市县"), queryset=Unit.objects.none(), required=False)
    uscc = forms.CharField(label=_("统一社会信用代码"), max_length=18, required=False)
    enterprise_name = forms.CharField(label=_("企业名称"), max_length=200, required=False)
    description = forms.CharField(label=_("风险描述"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)
    reporter = forms.CharField(label=_("报告人"), max_length=100, required=False)
    received_on = forms.DateField(label=_("接收日期"), widget=DATE)
    evidence = forms.FileField(label=_("证据材料"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from qualityplan.orgs.selectors import local_government_units

        self.fields["region"].queryset = local_government_units().order_by("sort_order", "code")


class ImportForm(forms.Form):
    file = forms.FileField(label=_("CSV 文件"))


class ReviewForm(forms.Form):
    stage = forms.ChoiceField(label=_("研判环节"), choices=[(s.value, s.label) for s in REVIEW_STAGES])
    expert = forms.CharField(label=_("专家/研判人"), max_length=100, required=False)
    probability = forms.TypedChoiceField(label=_("可能性"), choices=Probability.choices, coerce=int)
    severity = forms.TypedChoiceField(label=_("严重程度"), choices=Severity.choices, coerce=int)
    info_grade = forms.ChoiceField(label=_("信息分级"), choices=[("", "—"), *InfoGrade.choices], required=False)
    opinion = forms.CharField(label=_("研判意见"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, risk=None, **kwargs):
        super().__init__(*args, **kwargs)
        if risk is not None and risk.stage in (Stage.WORK, Stage.EXPERT, Stage.DISPOSAL):
            self.fields["stage"].initial = Stage.EXPERT if risk.stage == Stage.WORK else risk.stage


class DisposalForm(forms.Form):
    kind = forms.ChoiceField(label=_("处置措施"), choices=DisposalKind.choices)
    owner = forms.ModelChoiceField(label=_("责任单位"), queryset=Unit.objects.none())
    instruction = forms.CharField(label=_("要求"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    planned_samples = forms.IntegerField(label=_("计划抽样批次"), required=False, min_value=1, max_value=100000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = _units()


class CompleteForm(forms.Form):
    result = forms.CharField(label=_("办理结果"), widget=forms.Textarea(attrs={"rows": 2}), max_length=5000)
    version = forms.IntegerField(widget=forms.HiddenInput)


class CloseForm(forms.Form):
    result = forms.CharField(label=_("处置结果"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)
    version = forms.IntegerField(widget=forms.HiddenInput)


class EvidenceForm(forms.Form):
    evidence = forms.FileField(label=_("证据材料"))


class AutoOpenForm(forms.Form):
    """The office's automatic-opening threshold (``AutoOpenRule``)."""

    enabled = forms.BooleanField(
        label=_("自动立案"), required=False, help_text=_("开启后每日自动为达到阈值的信号登记风险")
    )
    open_pchart = forms.BooleanField(label=_("p 控制图超限"), required=False)
    open_run = forms.BooleanField(label=_("连续三期上升"), required=False)
    open_cluster = forms.BooleanField(label=_("企业/不合格项目聚集"), required=False)
    min_z = forms.DecimalField(
        label=_("最小 z 值"),
        min_value=0,
        max_value=50,
        max_digits=4,
        decimal_places=2,
        help_text=_("仅用于 p 控制图信号"),
    )
    min_failed = forms.IntegerField(label=_("最少不合格批次"), min_value=1, max_value=100000)
    version = forms.IntegerField(widget=forms.HiddenInput)
