"""DRF throttles whose rates come from the settings at request time (``API_THROTTLE_ANON`` / ``_USER``)."""

from django.conf import settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle


class AnonThrottle(AnonRateThrottle):
    def get_rate(self):
        return getattr(settings, "API_THROTTLE_ANON", "") or None


class UserThrottle(UserRateThrottle):
    def get_rate(self):
        return getattr(settings, "API_THROTTLE_USER", "") or None
