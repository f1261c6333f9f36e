"""The OpenAPI schema is generated without name collisions: two serializers with one component name make
drf-spectacular describe one app's responses with the other's fields (schemathesis then reports violations)."""

from __future__ import annotations

from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator


def test_schema_has_no_component_name_collisions():
    GENERATOR_STATS.reset()
    with GENERATOR_STATS.silence():
        SchemaGenerator().get_schema(request=None, public=True)
    collisions = [msg for msg in GENERATOR_STATS._warn_cache if "identical names" in msg]
    assert collisions == []
