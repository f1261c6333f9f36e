"""Request parsers that refuse what no serializer should ever see: a JSON body that is not an object (a list of
objects only where the view sets ``json_list_allowed = True``, e.g. the hotline push), and text with control
characters anywhere in the body (400 naming the field, before any view code runs)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ValidationError

from qualityplan.core.text import CONTROL_CHARS_MESSAGE, control_char_paths


def _check(data):
    paths = control_char_paths(getattr(data, "data", data))
    if paths:
        raise ValidationError({path: [str(CONTROL_CHARS_MESSAGE)] for path in paths})
    return data


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        view = (parser_context or {}).get("view")
        if isinstance(data, list) and getattr(view, "json_list_allowed", False):
            if not all(isinstance(item, dict) for item in data):
                raise ValidationError({"non_field_errors": [_("列表中的每一项都必须是 JSON 对象")]})
            return _check(data)
        if not isinstance(data, dict):
            raise ValidationError({"non_field_errors": [_("请求体必须是 JSON 对象")]})
        return _check(data)


class FormParser(parsers.FormParser):
    def parse(self, stream, media_type=None, parser_context=None):
        return _check(super().parse(stream, media_type, parser_context))


class MultiPartParser(parsers.MultiPartParser):
    def parse(self, stream, media_type=None, parser_context=None):
        return _check(super().parse(stream, media_type, parser_context))
