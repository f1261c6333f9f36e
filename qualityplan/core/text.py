"""Free text coming in and going out: refuse control characters on input, never let one break an export.

C0 controls other than tab, line feed and carriage return, DEL and C1 controls have no business in a title or a
narrative; they cannot be stored in .xlsx/.docx (XML 1.0) and make exports fail.
"""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")

CONTROL_CHARS_MESSAGE = _("不能包含控制字符（如 \\x00–\\x1F）")


def has_control_chars(value) -> bool:
    return isinstance(value, str) and CONTROL_CHARS.search(value) is not None


def refuse_control_chars(value) -> None:
    """Django validator for form and model fields."""
    if has_control_chars(value):
        raise ValidationError(CONTROL_CHARS_MESSAGE, code="control_characters")


def export_safe(value):
    """A cell value an XML-based office file can hold: control characters dropped (text stays otherwise intact)."""
    return CONTROL_CHARS.sub("", value) if isinstance(value, str) else value


def control_char_paths(data, prefix: str = "") -> list[str]:
    """Dotted paths of the strings in a parsed request body (dicts, lists, QueryDicts) that hold control chars."""
    found = []
    if hasattr(data, "lists"):  # QueryDict: every value of every key
        for key, values in data.lists():
            found += [f"{prefix}{key}" for v in values if has_control_chars(v)]
    elif isinstance(data, dict):
        for key, value in data.items():
            found += control_char_paths(value, f"{prefix}{key}.")
            if has_control_chars(value):
                found.append(f"{prefix}{key}")
    elif isinstance(data, list):
        for i, value in enumerate(data):
            found += control_char_paths(value, f"{prefix}{i}.")
            if has_control_chars(value):
                found.append(f"{prefix}{i}")
    return [p.rstrip(".") for p in found]


class CleanTextForm(forms.Form):
    """A form whose every text field refuses control characters (error on the field, never a stored NUL)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.CharField) and refuse_control_chars not in field.validators:
                field.validators.append(refuse_control_chars)
