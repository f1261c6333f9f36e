from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from qualityplan.monitoring.ingest.catalogue import normalize_category
from qualityplan.monitoring.models import ProductCategory


class ProductCategoryForm(forms.ModelForm):
    """One catalogue entry; synonyms as a list separated by commas (、 or ,)."""

    synonyms_text = forms.CharField(label=_("同义词"), required=False, max_length=1000,
                                    help_text=_("用逗号或顿号分隔"))  # fmt: skip

    class Meta:
        model = ProductCategory
        fields = ["path", "group", "source", "active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["synonyms_text"].initial = "、".join(self.instance.synonyms)

    def clean_path(self):
        path = normalize_category(self.cleaned_data["path"])
        if not path:
            raise forms.ValidationError(_("类别路径不能为空。"))
        return path

    def clean_synonyms_text(self):
        raw = self.cleaned_data.get("synonyms_text", "").replace("，", ",").replace("、", ",")
        return [normalize_category(s) for s in raw.split(",") if s.strip()]

    def save(self, commit=True):
        self.instance.synonyms = self.cleaned_data["synonyms_text"]
        return super().save(commit=commit)
