from django.contrib import admin

from qualityplan.supervision.models import EscalationPolicy


@admin.register(EscalationPolicy)
class EscalationPolicyAdmin(admin.ModelAdmin):
    """The escalation ladder override: the newest active row wins (see ``supervision/escalation.py``)."""

    list_display = ["name", "reminder_workdays_before", "urge_after_workdays", "circular_after_workdays", "active"]
    list_filter = ["active"]
