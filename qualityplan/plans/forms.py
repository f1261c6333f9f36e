from django import forms

from qualityplan.plans.models import Target
from qualityplan.plans.services import TARGET_EDIT_FIELDS


class TargetForm(forms.ModelForm):
    """The office's edit of a target of a draft or withdrawn plan (the clause text stays as written)."""

    class Meta:
        model = Target
        fields = list(TARGET_EDIT_FIELDS)
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}
