"""The one clock: a pinned date wins everywhere; otherwise the real local date."""

import datetime as dt

from django.utils import timezone

from qualityplan.core import clock


def test_pinned_date(settings):
    settings.QUALITYPLAN_TODAY = "2017-11-30"
    assert clock.today() == dt.date(2017, 11, 30)
    assert clock.current_year() == 2017
    now = clock.now()
    assert now.date() == dt.date(2017, 11, 30)
    assert timezone.is_aware(now)


def test_real_date_when_not_pinned(settings):
    settings.QUALITYPLAN_TODAY = ""
    assert clock.today() == timezone.localdate()
    assert clock.pinned_today() is None
