"""With Redis stopped, the portal goes on: nothing a user does waits on a Celery job. (What the
outage held back goes out with the next scan: tests/tasks/test_reminder_scan.py, "caught up".)"""

import pytest
from django.urls import reverse

from tasks.models import TaskStatus
from tests.tasks.factories import report_data

pytestmark = pytest.mark.django_db


def test_a_focal_point_reports_progress_while_the_broker_is_down(client, broker_down, lead_focal_point, task):
    client.force_login(lead_focal_point)

    response = client.post(reverse("tasks:report", args=[task.pk]), report_data(task))

    task.refresh_from_db()
    assert response.status_code == 302
    assert task.status == TaskStatus.IN_PROGRESS
