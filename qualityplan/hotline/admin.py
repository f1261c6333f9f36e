from django.contrib import admin

from qualityplan.hotline.models import DispatchRule, TimeLimit


@admin.register(TimeLimit)
class TimeLimitAdmin(admin.ModelAdmin):
    list_display = ("kind", "workdays", "basis")


@admin.register(DispatchRule)
class DispatchRuleAdmin(admin.ModelAdmin):
    list_display = ("subject", "region", "lead_unit", "department_matter", "active")
    list_filter = ("subject", "department_matter", "active")
    filter_horizontal = ("cooperating_units",)
