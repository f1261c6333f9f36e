import pytest


@pytest.fixture
def office(users):
    return users["office"]


@pytest.fixture
def anon():
    from django.test import Client

    return Client()


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
