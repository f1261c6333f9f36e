"""Root conftest: shared fixtures for every Django test (qualityplan/ and tests/)."""

pytest_plugins = ["qualityplan.testing"]
