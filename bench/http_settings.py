"""Settings for the HTTP part of bench_indicators.py only (not named bench_*.py: make bench runs those).

The product settings, the bench's throwaway database (``QP_BENCH_DB_NAME``), DEBUG off, and a URLconf that adds
one bare JSON view as the latency yardstick (it is not in the product's URLs). ``QP_BENCH_CACHE=off``: Django's
dummy cache, so every dashboard / API request is a cache miss (the uncached server time).
"""

import os

from qualityplan.config.django.local import *  # noqa: F403

DEBUG = False
ROOT_URLCONF = "bench.http_urls"
DATABASES["default"]["NAME"] = os.environ["QP_BENCH_DB_NAME"]  # noqa: F405
AXES_ENABLED = False
# The API throttle is a per-client policy (a 429 is not a served page): 16 clients of one user would hit it and
# count fast refusals as responses. The bench measures serving; any non-2xx still fails the goal below.
API_THROTTLE_ANON = API_THROTTLE_USER = ""
if os.environ.get("QP_BENCH_CACHE") == "off":
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
