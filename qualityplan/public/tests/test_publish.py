"""Publish / withdraw: policy, audit, random slugs, and a withdrawn item gone from portal and open data at once."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from qualityplan.core.exceptions import ApplicationError
from qualityplan.core.models import ChangeLog
from qualityplan.public import services
from qualityplan.public.models import Publication

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan_pub(plan_2017, office):
    return services.publication_publish(user=office, kind="plan", key="2017")


def test_plan_snapshot_has_targets_measures_and_units(plan_pub, anon):
    data = plan_pub.data
    assert data["year"] == 2017
    # 三.(六) 开展质量宣传: lead the group written 省质量强省领导小组成员单位 (its register name below), cooperating 洋浦
    m = next(m for m in data["measures"] if m["number"] == "三.(六)")
    assert m["title"] == "开展质量宣传，塑造良好的质量氛围"
    assert m["lead"] == ["省质量强省工作领导小组成员单位"]
    assert "洋浦经济开发区" in m["cooperating"]
    page = anon.get(f"/public/p/{plan_pub.slug}/")
    assert page.status_code == 200
    assert "开展质量宣传，塑造良好的质量氛围" in page.content.decode()
    assert anon.get("/public/plan/2017/").status_code == 200  # the stable address of the item


def test_slug_is_random_and_new_on_republish(plan_pub, office, anon):
    assert len(plan_pub.slug) >= 16 and not plan_pub.slug.isdigit()
    again = services.publication_publish(user=office, kind="plan", key="2017")
    assert again.slug != plan_pub.slug
    plan_pub.refresh_from_db()
    assert plan_pub.withdrawn_at is not None
    assert Publication.objects.filter(kind="plan", key="2017", withdrawn_at__isnull=True).count() == 1
    assert anon.get(f"/public/p/{plan_pub.slug}/").status_code == 404
    assert anon.get(f"/public/p/{again.slug}/").status_code == 200


def test_withdraw_removes_from_portal_and_open_data_the_same_minute(plan_pub, office, anon, settings):
    settings.QUALITYPLAN_TODAY = "2017-11-30"
    page = f"/public/p/{plan_pub.slug}/"
    csv_url = "/open-data/plan-2017.csv"
    # warm every cache first
    assert anon.get(page).status_code == 200
    assert anon.get(csv_url).status_code == 200
    assert anon.get("/public/").content.decode().count(plan_pub.slug) == 1
    assert "plan-2017" in anon.get("/open-data/catalog.json").content.decode()

    services.publication_withdraw(user=office, publication=plan_pub)

    assert anon.get(page).status_code == 404
    assert anon.get("/public/plan/2017/").status_code == 404
    assert anon.get(csv_url).status_code == 404
    assert anon.get("/open-data/plan-2017.json").status_code == 404
    assert plan_pub.slug not in anon.get("/public/").content.decode()
    assert "plan-2017" not in anon.get("/open-data/catalog.json").content.decode()
    assert "plan-2017" not in anon.get("/open-data/").content.decode()


def test_service_calls_are_audited_with_their_actor(plan_pub, office):
    logs = ChangeLog.objects.filter(
        content_type=ContentType.objects.get_for_model(Publication), object_id=str(plan_pub.pk)
    )
    assert [(log.action, log.user_id) for log in logs] == [("create", office.pk)]


def test_only_the_office_publishes(plan_2017, users, client_for, anon):
    for name in ("dept", "city", "viewer", "inspector"):
        with pytest.raises(ApplicationError):
            services.publication_publish(user=users[name], kind="plan", key="2017")
        assert client_for(users[name]).get("/public/manage/").status_code == 403
        r = client_for(users[name]).post("/api/v1/public/publications/", {"kind": "plan", "key": "2017"})
        assert r.status_code == 403
    assert anon.get("/public/manage/").status_code == 302  # to the login page
    assert anon.post("/api/v1/public/publications/", {"kind": "plan", "key": "2017"}).status_code in (401, 403)
    assert not Publication.objects.exists()


def test_policy_before_validation(plan_2017, users, client_for):
    # a non-publisher learns nothing about the input rules: 403 for nonsense input too, not 400
    r = client_for(users["dept"]).post("/api/v1/public/publications/", {"kind": "nonsense" * 10})
    assert r.status_code == 403


def test_office_page_publish_withdraw_audited(plan_2017, office, client_for, anon):
    c = client_for(office)
    assert c.get("/public/manage/").status_code == 200
    r = c.post("/public/manage/", {"action": "publish", "kind": "plan", "key": "2017"})
    assert r.status_code == 302
    pub = Publication.objects.get(kind="plan", key="2017")
    logs = ChangeLog.objects.filter(content_type=ContentType.objects.get_for_model(Publication), object_id=str(pub.pk))
    assert [(log.action, log.user_id) for log in logs.order_by("seq")] == [("create", office.pk)]
    r = c.post("/public/manage/", {"action": "withdraw", "publication": pub.pk})
    assert r.status_code == 302
    pub.refresh_from_db()
    assert pub.withdrawn_at is not None
    assert [(log.action, log.user_id) for log in logs.order_by("seq")] == [("create", office.pk), ("update", office.pk)]


@pytest.mark.parametrize(
    "post, field",
    [
        ({"action": "publish", "kind": "nope", "key": "2017"}, "kind"),
        ({"action": "publish", "kind": "plan", "key": "1999"}, "key"),
        ({"action": "publish", "kind": "plan", "key": "abc"}, "key"),
        ({"action": "withdraw", "publication": "x"}, "publication"),
        ({"action": "explode"}, "action"),
    ],
)
def test_office_page_bad_input_is_400(plan_2017, office, client_for, post, field):
    r = client_for(office).post("/public/manage/", post)
    assert r.status_code == 400


def test_api_publish_list_withdraw(plan_2017, office, client_for):
    c = client_for(office)
    r = c.post("/api/v1/public/publications/", {"kind": "plan", "key": "2017"}, content_type="application/json")
    assert r.status_code == 201, r.content
    pk = r.json()["id"]
    assert c.get("/api/v1/public/publications/?live=1").json()["results"][0]["id"] == pk
    r = c.post(f"/api/v1/public/publications/{pk}/withdraw/")
    assert r.status_code == 200 and r.json()["withdrawn_at"]
    assert c.get("/api/v1/public/publications/?live=1").json()["results"] == []
    r = c.post("/api/v1/public/publications/", {"kind": "plan"}, content_type="application/json")
    assert r.status_code == 400 and "key" in r.content.decode()


def test_manage_url_name():
    assert reverse("public-manage") == "/public/manage/"


def test_withdrawn_elsewhere_is_gone_after_the_stamp_time(plan_pub, anon, settings):
    # another process withdrew it (nothing dropped this process's stamp): with PUBLIC_STAMP_SECONDS = 0 the stamp is
    # read on every request, so the page goes at once; the default (10 s) bounds the delay for per-process caches
    settings.PUBLIC_STAMP_SECONDS = 0
    page = f"/public/p/{plan_pub.slug}/"
    assert anon.get(page).status_code == 200
    Publication.objects.filter(pk=plan_pub.pk).update(withdrawn_at=plan_pub.published_at)
    assert anon.get(page).status_code == 404
