"""MEDIA_STORAGE=s3 (issue 19): uploaded evidence goes to an S3-compatible store (moto's server here) and is still
served only through the permission-checked download view — streamed, or as a short-lived presigned redirect."""

from __future__ import annotations

import datetime as dt
import importlib
import re
import urllib.parse
import urllib.request

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
BUCKET = "qualityplan-test"
KEYS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}


@pytest.fixture
def s3_settings(s3_endpoint, settings, monkeypatch):
    """The STORAGES that ``MEDIA_STORAGE=s3`` and the AWS_* variables select (read from the environment)."""
    import boto3

    client = boto3.client("s3", endpoint_url=s3_endpoint, region_name="us-east-1", aws_access_key_id="testing",
                          aws_secret_access_key="testing")  # fmt: skip
    client.create_bucket(Bucket=BUCKET)
    for key, value in {"MEDIA_STORAGE": "s3", "AWS_S3_ENDPOINT_URL": s3_endpoint, "AWS_STORAGE_BUCKET_NAME": BUCKET,
                       "AWS_S3_REGION_NAME": "us-east-1", **KEYS}.items():  # fmt: skip
        monkeypatch.setenv(key, value)
    import qualityplan.config.django.base as base

    try:
        chosen = importlib.reload(base).STORAGES["default"]
    finally:
        for key in ("MEDIA_STORAGE", "AWS_S3_ENDPOINT_URL", "AWS_STORAGE_BUCKET_NAME", "AWS_S3_REGION_NAME", *KEYS):
            monkeypatch.delenv(key)
        importlib.reload(base)
    assert chosen["BACKEND"] == "qualityplan.core.storage_s3.PrivateS3Storage"
    assert chosen["OPTIONS"]["bucket_name"] == BUCKET and chosen["OPTIONS"]["endpoint_url"] == s3_endpoint
    settings.STORAGES = {**settings.STORAGES, "default": chosen}
    yield client
    objects = client.list_objects_v2(Bucket=BUCKET).get("Contents", [])
    for obj in objects:
        client.delete_object(Bucket=BUCKET, Key=obj["Key"])
    client.delete_bucket(Bucket=BUCKET)


@pytest.fixture
def evidence(s3_settings, users, units, plan_2017):
    from qualityplan.ledger import services
    from qualityplan.ledger.models import Evidence
    from qualityplan.plans.models import Measure

    measure = Measure.objects.filter(plan=plan_2017, responsibilities__role="lead",
                                     responsibilities__unit__code="QTS")[0]  # fmt: skip
    task = services.task_create(
        user=users["dept"], measure=measure, title="制定质量提升方案", owner_name="李质监",
        deadline=dt.date(2017, 6, 30), expected_output="印发方案", milestones=[("印发", dt.date(2017, 6, 30))],
        parts=[(units["ENV"], "提供环境监测数据", None)],
    )  # fmt: skip
    services.progress_report(user=users["dept"], task=task, status="on_track", narrative="起草完成",
                             files=[SimpleUploadedFile("质量提升方案.pdf", PDF, content_type="application/pdf")])  # fmt: skip
    return Evidence.objects.get(update__task=task)


def test_evidence_is_stored_in_the_bucket_under_a_random_private_name(evidence, s3_settings, settings):
    keys = [o["Key"] for o in s3_settings.list_objects_v2(Bucket=BUCKET)["Contents"]]
    assert keys == [f"qualityplan/{evidence.file.name}"]  # AWS_LOCATION defaults to "qualityplan"
    assert re.fullmatch(r"qualityplan/evidence/ledger/\d{4}/\d{2}/[A-Za-z0-9_-]{32}\.pdf", keys[0])
    assert s3_settings.get_object(Bucket=BUCKET, Key=keys[0])["Body"].read() == PDF
    acl = s3_settings.get_object_acl(Bucket=BUCKET, Key=keys[0])
    assert not [g for g in acl["Grants"] if "AllUsers" in g["Grantee"].get("URI", "")]  # not public
    with pytest.raises(NotImplementedError):
        evidence.file.url  # noqa: B018 - pages never get a store URL


def test_download_streams_from_the_store_after_the_scope_check(evidence, users, client, client_for):
    url = f"/files/ledger.evidence.file/{evidence.pk}/"
    for who in ("dept", "office"):
        r = client_for(users[who]).get(url)
        assert r.status_code == 200, who
        assert b"".join(r.streaming_content) == PDF
        assert r["Content-Type"] == "application/pdf" and r["X-Content-Type-Options"] == "nosniff"
    assert client.get(url).status_code == 404  # anonymous
    assert client_for(users["city"]).get(url).status_code == 404  # another unit's evidence


def test_signed_redirect_is_short_lived_and_only_for_permitted_users(evidence, users, client, client_for, settings):
    settings.FILES_SERVE = "signed-redirect"
    settings.FILES_SIGNED_URL_SECONDS = 60
    url = f"/files/ledger.evidence.file/{evidence.pk}/"
    assert client.get(url).status_code == 404
    assert client_for(users["city"]).get(url).status_code == 404
    r = client_for(users["dept"]).get(url)
    assert r.status_code == 302 and r["Cache-Control"] == "private, no-store"
    signed = r["Location"]
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(signed).query)
    assert query["X-Amz-Expires"] == ["60"] and query["X-Amz-Signature"]
    assert query["response-content-type"] == ["application/pdf"]
    with urllib.request.urlopen(signed, timeout=30) as resp:  # the store itself answers the presigned URL
        assert resp.read() == PDF
        assert resp.headers["Content-Type"] == "application/pdf"
        assert "filename*=utf-8''" in resp.headers["Content-Disposition"]
    # (moto does not verify signatures; a real store refuses the URL after X-Amz-Expires, which the signature covers)
    assert "x-amz-date" in {k.lower() for k in query} and "X-Amz-Credential" in query


def test_a_missing_object_is_a_404_not_a_500(evidence, users, client_for, s3_settings, settings):
    s3_settings.delete_object(Bucket=BUCKET, Key=f"qualityplan/{evidence.file.name}")
    url = f"/files/ledger.evidence.file/{evidence.pk}/"
    assert client_for(users["dept"]).get(url).status_code == 404
    settings.FILES_SERVE = "signed-redirect"
    assert client_for(users["dept"]).get(url).status_code == 404
