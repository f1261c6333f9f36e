"""Redis as the shared cache and job queue (issue 19): the cache-backed dashboard and a Huey job through a real server."""

from __future__ import annotations

import pytest
from django.core.cache import caches

pytestmark = pytest.mark.django_db


@pytest.fixture
def redis_cache(redis_url, settings):
    location = f"{redis_url}/1"
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": location}}
    cache = caches["default"]
    cache.clear()
    yield cache
    cache.clear()


def test_cache_round_trip_through_redis(redis_cache, redis_url):
    import redis

    redis_cache.set("qualityplan-probe", {"year": 2017, "units": ["460100"]}, 60)
    assert redis_cache.get("qualityplan-probe") == {"year": 2017, "units": ["460100"]}
    # it really is in the server, not in a local memory
    client = redis.Redis.from_url(f"{redis_url}/1")
    assert any(b"qualityplan-probe" in key for key in client.keys("*"))


def test_dashboard_is_cached_in_redis_and_follows_a_new_evaluation(
    redis_cache, redis_url, users, client_for, plan_2017
):
    """Two web nodes share one Redis: a page cached by one is served to the other, and a new evaluation run changes
    the stamp in the key, so no node serves the old page afterwards."""
    import redis

    from qualityplan.indicators.services import evaluation_run

    evaluation_run(year=2017)
    client = redis.Redis.from_url(f"{redis_url}/1")
    node_a, node_b = client_for(users["office"]), client_for(users["office"])
    first = node_a.get("/indicators/")
    assert first.status_code == 200
    keys_after_first = set(client.keys("*"))
    assert keys_after_first, "the dashboard stored nothing in Redis"
    second = node_b.get("/indicators/")
    assert second.status_code == 200
    assert set(client.keys("*")) == keys_after_first  # node B was served from the shared entry

    evaluation_run(year=2017)  # a write: a new run → a new stamp
    third = node_b.get("/indicators/")
    assert third.status_code == 200
    assert set(client.keys("*")) - keys_after_first, "after a new evaluation the page was not rebuilt"


def test_huey_job_through_redis(redis_url):
    """A job enqueued by a web node runs on a consumer through the Redis queue (RedisHuey, as HUEY_REDIS_URL sets)."""
    from huey import RedisHuey

    huey = RedisHuey("qualityplan-test", url=f"{redis_url}/2", immediate=False)
    huey.flush()

    @huey.task()
    def add(a, b):
        return a + b

    result = add(2, 40)
    assert huey.pending_count() == 1
    # the consumer's side: dequeue and execute what is in Redis
    task = huey.dequeue()
    assert task is not None
    huey.execute(task)
    assert result.get(blocking=True, timeout=5) == 42
    huey.flush()


def test_settings_choose_redis_for_huey_and_cache(monkeypatch):
    """HUEY_REDIS_URL and CACHE_URL select the Redis backends (settings read from the environment)."""
    import importlib

    monkeypatch.setenv("HUEY_REDIS_URL", "redis://127.0.0.1:6399/0")
    monkeypatch.setenv("CACHE_URL", "redis://127.0.0.1:6399/1")
    import qualityplan.config.django.base as base

    reloaded = importlib.reload(base)
    try:
        assert reloaded.HUEY["huey_class"] == "huey.RedisHuey"
        assert reloaded.HUEY["url"] == "redis://127.0.0.1:6399/0"
        assert reloaded.CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    finally:
        monkeypatch.delenv("HUEY_REDIS_URL")
        monkeypatch.delenv("CACHE_URL")
        importlib.reload(base)
