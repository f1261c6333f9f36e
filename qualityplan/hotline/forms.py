from django import forms
from django.utils.translation import gettext_lazy as _

from qualityplan.hotline.choices import Category, Channel, Subject
from qualityplan.orgs.choices import UnitKind
from qualityplan.orgs.models import Unit


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class OrderForm(forms.Form):
    received_at = forms.DateTimeField(
        label=_("受理时间"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    )
    channel = forms.ChoiceField(label=_("渠道"), choices=Channel.choices, initial=Channel.PHONE)
    caller_name = forms.CharField(label=_("来电人"), max_length=50, required=False)
    caller_phone = forms.CharField(label=_("联系电话"), max_length=30, required=False)
    category = forms.ChoiceField(label=_("诉求类别"), choices=Category.choices)
    subject = forms.ChoiceField(label=_("诉求对象"), choices=Subject.choices)
    region = forms.ModelChoiceField(
        label=_("区域"), queryset=Unit.objects.filter(kind__in=UnitKind.local_governments()), required=False
    )
    enterprise_uscc = forms.CharField(label=_("企业统一社会信用代码"), max_length=18, required=False)
    enterprise_name = forms.CharField(label=_("企业名称"), max_length=200, required=False)
    title = forms.CharField(label=_("标题"), max_length=200)
    content = forms.CharField(label=_("诉求内容"), widget=forms.Textarea(attrs={"rows": 5}))
    attachments = forms.FileField(label=_("附件"), required=False, widget=MultipleFileInput())


class ImportForm(forms.Form):
    file = forms.FileField(label=_("工单文件（.csv / .xlsx）"))
