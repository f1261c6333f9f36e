from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from qualityplan.credit.choices import Domain, EventKind, RecallKind, RecheckStatus
from qualityplan.credit.rules import PENALTY_KINDS

ENTRY_KINDS = [(k, label) for k, label in EventKind.choices if k not in (EventKind.SAMPLE_FAIL, EventKind.REPAIR)]


class EventForm(forms.Form):
    uscc = forms.CharField(label=_("统一社会信用代码"), max_length=40, required=False)
    enterprise = forms.CharField(label=_("企业名称"), max_length=200)
    kind = forms.ChoiceField(label=_("事件"), choices=ENTRY_KINDS)
    date = forms.DateField(label=_("日期"), widget=forms.DateInput(attrs={"type": "date"}))
    published_on = forms.DateField(label=_("公示日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    decision_no = forms.CharField(label=_("决定书文号"), max_length=100, required=False)
    penalties = forms.MultipleChoiceField(
        label=_("处罚种类"),
        choices=[(k, k) for k in PENALTY_KINDS],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    fine_yuan = forms.DecimalField(
        label=_("罚款金额（元）"), required=False, min_value=0, max_digits=14, decimal_places=2
    )
    lower_amount = forms.NullBooleanField(
        label=_("较低数额罚款"),
        required=False,
        widget=forms.Select(choices=[("unknown", "—"), ("true", _("是")), ("false", _("否"))]),
    )
    restrict_years = forms.IntegerField(label=_("限制从业年限"), required=False, min_value=1, max_value=99)
    domain = forms.ChoiceField(label=_("领域"), choices=Domain.choices, initial=Domain.OTHER)
    recall_kind = forms.ChoiceField(label=_("召回方式"), choices=[("", "—"), *RecallKind.choices], required=False)
    note = forms.CharField(label=_("备注"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000)
    evidence = forms.FileField(label=_("证明材料"), required=False)


class RepairForm(forms.Form):
    applicant = forms.CharField(label=_("申请人"), max_length=100)
    received_on = forms.DateField(label=_("受理日期"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label=_("申请理由/履行情况"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)
    application = forms.FileField(label=_("信用修复申请书"))
    pledge = forms.FileField(label=_("守信承诺书"))
    fulfilment = forms.FileField(label=_("履行完毕证明"))


class DecideForm(forms.Form):
    grant = forms.TypedChoiceField(
        label=_("决定"), choices=[("1", _("准予修复")), ("0", _("不予修复"))], coerce=lambda v: v == "1"
    )
    decided_on = forms.DateField(label=_("决定日期"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(
        label=_("决定理由"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=4000
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class RecheckForm(forms.Form):
    status = forms.ChoiceField(
        label=_("复检"), choices=[(k, label) for k, label in RecheckStatus.choices if k != RecheckStatus.NONE]
    )
    on = forms.DateField(label=_("日期"), widget=forms.DateInput(attrs={"type": "date"}))
    version = forms.IntegerField(widget=forms.HiddenInput)


class SampleEventForm(forms.Form):
    received_on = forms.DateField(label=_("检验结论送达日期"), widget=forms.DateInput(attrs={"type": "date"}))


class PublicQueryForm(forms.Form):
    q = forms.CharField(label=_("企业名称或统一社会信用代码"), min_length=2, max_length=100)
