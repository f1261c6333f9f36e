"""django-axes with two limits: a username+IP pair and, higher, an IP address across all usernames."""

from __future__ import annotations

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from django.conf import settings
from django.db.models import Sum


class LoginLockoutHandler(AxesDatabaseHandler):
    """Locked when the pair reaches ``AXES_FAILURE_LIMIT`` or the IP reaches ``AXES_IP_FAILURE_LIMIT`` failures.

    axes compares one number with one limit, so the IP count is scaled to the pair's limit:
    ``ip * limit // ip_limit >= limit`` exactly when ``ip >= ip_limit``. ``AXES_LOCKOUT_PARAMETERS`` lists the
    pair first and the IP second.
    """

    def get_failures(self, request, credentials=None) -> int:
        counts = [
            qs.aggregate(n=Sum("failures_since_start"))["n"] or 0 for qs in self.get_user_attempts(request, credentials)
        ]
        pair = counts[0] if counts else 0
        by_ip = counts[1] if len(counts) > 1 else 0
        limit = get_failure_limit(request, credentials)
        ip_limit = max(int(getattr(settings, "AXES_IP_FAILURE_LIMIT", limit)), 1)
        return max(pair, by_ip * limit // ip_limit)

    def reset_user_attempts(self, request, credentials=None) -> int:
        """A successful sign-in clears that username's failures from that IP only — not the IP's failures under
        other usernames (else one valid account would reset a password-spraying lock)."""
        attempts = self.filter_user_attempts(request, credentials)
        if not attempts:
            return 0
        count, _ = attempts[0].delete()
        return count
