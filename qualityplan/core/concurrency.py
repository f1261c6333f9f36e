"""Optimistic locking: a ``version`` on everything two people can edit, ETag / If-Match on the API.

* :class:`VersionedModel` — every save of an existing row increments ``version`` (services save through the ORM,
  so "through the services" and "every save" are the same thing).
* :class:`VersionedViewSetMixin` — detail responses carry ``ETag: "<version>"``; PUT/PATCH must send
  ``If-Match`` (428 without it), and any unsafe request with a stale ``If-Match`` gets 412 before anything changes.
* :func:`version_check` — the same rule for web forms (a hidden ``version`` field), raising :class:`StaleVersion`.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from rest_framework import status
from rest_framework.exceptions import APIException

from qualityplan.core.exceptions import ApplicationError


class VersionedModel(models.Model):
    version = models.PositiveIntegerField(_("版本"), default=1, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding and self.pk is not None:
            self.version = (self.version or 0) + 1
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "version"}
        super().save(*args, **kwargs)


class StaleVersion(ApplicationError):
    """The object changed since the client loaded it."""


STALE_MESSAGE = _("该记录在您编辑期间已被他人修改（您编辑的是第 %(yours)s 版，当前为第 %(current)s 版）。")


def version_check(instance, expected) -> None:
    """Refuse a save based on an older version of ``instance`` (web forms send the version they were built on).

    A form without a version (a client that does not know the field) is not checked, like a POST without If-Match.
    """
    if expected in (None, ""):
        return
    try:
        expected = int(expected)
    except (TypeError, ValueError) as exc:
        raise ApplicationError(_("缺少或无效的版本号"), {"field": "version"}) from exc
    if expected != instance.version:
        raise StaleVersion(
            STALE_MESSAGE % {"yours": expected, "current": instance.version},
            {"field": "version", "yours": expected, "current": instance.version},
        )


def etag_for(instance) -> str:
    return f'"{instance.version}"'


class PreconditionFailed(APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = _("该记录已被他人修改：请重新读取后再提交（If-Match 与当前 ETag 不符）。")
    default_code = "precondition_failed"


class PreconditionRequired(APIException):
    status_code = 428
    default_detail = _("修改需要 If-Match 请求头（先 GET 取得 ETag）。")
    default_code = "precondition_required"


def _matches(header: str, etag: str) -> bool:
    tags = [t.strip().removeprefix("W/") for t in header.split(",")]
    return "*" in tags or etag in tags


class VersionedViewSetMixin:
    """For viewsets over a :class:`VersionedModel`: ETag on detail responses, If-Match on writes."""

    def get_object(self):
        obj = super().get_object()
        request = self.request
        if request.method not in ("GET", "HEAD", "OPTIONS") and not getattr(self, "_precondition_checked", False):
            self._precondition_checked = True  # once per request (an update may re-read the object to answer)
            header = request.headers.get("If-Match")
            if header is None and request.method in ("PUT", "PATCH"):
                raise PreconditionRequired()
            if header is not None and not _matches(header, etag_for(obj)):
                raise PreconditionFailed()
        self._versioned_object = obj
        return obj

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        obj = getattr(self, "_versioned_object", None)
        if obj is not None and 200 <= response.status_code < 300:
            version = type(obj)._default_manager.filter(pk=obj.pk).values_list("version", flat=True).first()
            if version is not None:
                response["ETag"] = f'"{version}"'
        return response


IF_MATCH_PARAMETER = {
    "name": "If-Match",
    "in": "header",
    "required": True,
    "description": "The ETag of the detail response the change is based on (412 when stale, 428 when missing).",
    "schema": {"type": "string"},
}
