"""Malformed query parameters on the records pages get a 400 naming the problem, never a 500."""

import pytest


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["from=2017-13-01", "to=yesterday", "unit=haikou"])
def test_records_page_rejects_malformed_parameters(users, client_for, query):
    response = client_for(users["office"]).get(f"/monitoring/records/sampling/?{query}")
    assert response.status_code == 400
    assert "查询参数有误" in response.content.decode()


@pytest.mark.django_db
def test_records_page_unknown_kind_is_404(users, client_for):
    assert client_for(users["office"]).get("/monitoring/records/bogus/").status_code == 404
