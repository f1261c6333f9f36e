"""Pure tests: no Django settings are needed (run with ``-p no:django`` or with pytest-django present)."""
