"""`manage.py check --deploy` on the production settings reports no security warning."""

from __future__ import annotations

import subprocess
import sys

from tests.test_infra import ROOT, _env


def test_check_deploy_is_clean_on_production_settings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=_env(
            DJANGO_SETTINGS_MODULE="qualityplan.config.django.production",
            SECRET_KEY="k3Y-" + "x7Qp9Lr2Zt" * 6,
            DATABASE_URL=None,
        ),
        timeout=180,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "(security." not in result.stdout + result.stderr, result.stdout + result.stderr
