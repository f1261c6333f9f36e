"""Filters of the change-log page (validated: a bad value is a form error naming the field, never a 500)."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext_lazy as _

from qualityplan.core.models import ChangeAction


def _unit_model():
    return get_user_model()._meta.get_field("unit").related_model


class ChangeLogFilterForm(forms.Form):
    user = forms.CharField(label=_("用户名"), required=False, max_length=150)
    unit = forms.ModelChoiceField(label=_("单位"), queryset=None, required=False)
    object_type = forms.ModelChoiceField(label=_("对象类型"), queryset=None, required=False)
    action = forms.ChoiceField(label=_("操作"), required=False)
    date_from = forms.DateField(label=_("起始日期"), required=False)
    date_to = forms.DateField(label=_("截止日期"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = _unit_model().objects.order_by("sort_order", "code")
        self.fields["object_type"].queryset = ContentType.objects.filter(
            pk__in=ContentType.objects.filter(changelog__isnull=False).values("pk").distinct()
        ).order_by("app_label", "model")
        self.fields["object_type"].label_from_instance = lambda ct: f"{ct.app_label} · {ct.name}"
        self.fields["action"].choices = [("", "---------"), *ChangeAction.choices]

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("截止日期不能早于起始日期"))
        return data
