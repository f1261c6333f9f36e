"""Local / embedded settings: DEBUG on, a development secret if none is set."""

from qualityplan.config.django.base import *  # noqa: F403
from qualityplan.config.env import env, env_bool

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = env("SECRET_KEY", "") or "dev-only-insecure-key-do-not-use-in-production"

# The one clock (qualityplan.core.clock): the local settings serve the demo, whose data end on 2017-11-30, so
# "today" is pinned to that date unless QUALITYPLAN_TODAY is set in the environment or .env (set it to an empty
# value to follow the real calendar). Production settings never pin a date unless told to.
QUALITYPLAN_TODAY = env("QUALITYPLAN_TODAY", "2017-11-30")
