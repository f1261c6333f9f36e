"""``bootstrap --demo --demo-apps orgs``: units, the shipped plans and only the named apps' demo data."""

import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


def test_only_the_named_apps_demo_is_loaded():
    from qualityplan.monitoring.models import SamplingRecord
    from qualityplan.orgs.demo import DEMO_USERS
    from qualityplan.orgs.models import Unit, User
    from qualityplan.plans.models import Plan

    call_command("bootstrap", "--demo", "--demo-apps", "orgs", verbosity=0)
    assert Unit.objects.filter(code="YANGPU").exists() and Plan.objects.filter(year=2017).exists()
    assert set(User.objects.values_list("username", flat=True)) >= {row[0] for row in DEMO_USERS}
    assert not SamplingRecord.objects.exists()  # monitoring's demo was not asked for


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--demo-apps", "orgs"], "--demo-apps goes with --demo"),
        (["--demo", "--demo-apps", "orgs,nosuch"], "unknown app(s) nosuch"),
    ],
)
def test_demo_apps_refusals(args, message):
    with pytest.raises(CommandError, match=message.replace("(", r"\(").replace(")", r"\)")):
        call_command("bootstrap", *args, verbosity=0)
