from django import forms
from django.utils.translation import gettext_lazy as _

from qualityplan.core.text import CleanTextForm
from qualityplan.orgs.models import Unit
from qualityplan.supervision.choices import ItemSource


class ItemForm(CleanTextForm):
    title = forms.CharField(label=_("事项"), max_length=300)
    source = forms.ChoiceField(label=_("来源"), choices=ItemSource.choices)
    source_ref = forms.CharField(label=_("来源说明"), max_length=300, required=False)
    requirement = forms.CharField(label=_("督办要求"), widget=forms.Textarea(attrs={"rows": 3}))
    lead_unit = forms.ModelChoiceField(label=_("主办单位"), queryset=Unit.objects.all())
    cooperating_units = forms.ModelMultipleChoiceField(
        label=_("协办单位"), queryset=Unit.objects.all(), required=False, widget=forms.SelectMultiple(attrs={"size": 6})
    )
    deadline_workdays = forms.IntegerField(label=_("办理时限（工作日）"), min_value=1, max_value=250, initial=15)
