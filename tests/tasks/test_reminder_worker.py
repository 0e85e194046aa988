"""A real Celery worker on Redis delivers a reminder: the scan job, the delivery job it queues, the
e-mail. CI runs it (scripts/with-services.sh sets REDIS_URL); without Redis it is skipped.

The worker runs in a thread of the test process, so it must see committed rows (a transactional
test) and it sends to the same locmem outbox. Celery's Django fixup closes the worker thread's
database connection after each job.
"""

import datetime
import time

import pytest
from celery.backends.redis import RedisBackend
from celery.contrib.testing.worker import start_worker
from celery.result import AsyncResult
from django.conf import settings as django_settings
from django.core import mail

from config import celery_app
from tasks.jobs import scan_reminders
from tasks.models import ReminderLog, ReminderStatus

REDIS_URL = django_settings.REDIS_URL
SCAN_DAY = datetime.date(2024, 12, 28)  # task I.1 of the fixtures is due 31/12/2024: three days later

pytestmark = [
    pytest.mark.skipif(
        not REDIS_URL, reason="needs a Redis server: set REDIS_URL (scripts/with-services.sh does)"
    ),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def redis_celery(settings):
    """Celery on Redis, jobs sent to a worker (Celery reads these settings live; the fixture restores
    them). Logging stays pytest's."""
    settings.CELERY_BROKER_URL = REDIS_URL
    settings.CELERY_RESULT_BACKEND = REDIS_URL
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_WORKER_HIJACK_ROOT_LOGGER = False
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # Read the job's result from Redis: this thread may still hold the result backend an eager
    # test configured earlier in the session.
    results = RedisBackend(app=celery_app, url=REDIS_URL)
    with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
        yield results


def wait_until(condition, timeout=30.0):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def test_a_worker_on_redis_delivers_a_reminder(redis_celery, task, lead_focal_point):
    lead_focal_point.email = "noivu@example.vn"
    lead_focal_point.save()

    sent = scan_reminders.apply_async([SCAN_DAY.isoformat()], ignore_result=False)
    found = AsyncResult(sent.id, backend=redis_celery, app=celery_app).get(timeout=30)

    # The delivery job commits the log after the e-mail has gone: wait for the commit.
    assert wait_until(lambda: ReminderLog.objects.filter(status=ReminderStatus.SENT).exists())
    assert found == 1
    assert [message.to for message in mail.outbox] == [["noivu@example.vn"]]
    assert list(ReminderLog.objects.values_list("recipient", "kind", "status")) == [
        (lead_focal_point.pk, "before_3", ReminderStatus.SENT)
    ]
