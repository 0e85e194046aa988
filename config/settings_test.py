"""The test suite's settings (pyproject.toml): the demo's, whatever the shell says.

The settings are read with ``DEBUG`` on (the demo's key, plain static storage, e-mail to files);
pytest-django then runs the tests with ``DEBUG`` off, as production does. The cache is the process's
memory: the password reset counters must not reach the Redis of ``REDIS_URL`` (the Celery broker of
other test runs), and a test can clear them.
"""

import os

os.environ["DEBUG"] = "true"

from config.settings import *  # noqa: E402, F403

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Without Redis, job results stay in memory: the demo's file backend needs var/celery/, which a
# clean checkout does not have.
if not REDIS_URL:  # noqa: F405
    CELERY_RESULT_BACKEND = "cache+memory://"
