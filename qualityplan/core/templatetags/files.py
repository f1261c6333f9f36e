from django import template

from qualityplan.core import files

register = template.Library()


@register.filter
def file_url(obj, field: str = "file") -> str:
    """``{{ evidence|file_url }}`` / ``{{ submission|file_url:"evidence" }}``: the permission-checked download URL."""
    return files.download_url(obj, field)


@register.filter
def file_name(obj, field: str = "file") -> str:
    """The original name of ``obj.<field>`` as the user uploaded it."""
    return files.display_name(obj, field)
