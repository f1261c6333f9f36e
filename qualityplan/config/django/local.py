"""Local / embedded settings: DEBUG on, a development secret if none is set."""

from qualityplan.config.django.base import *  # noqa: F403
from qualityplan.config.env import env, env_bool

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = env("SECRET_KEY", "") or "dev-only-insecure-key-do-not-use-in-production"
