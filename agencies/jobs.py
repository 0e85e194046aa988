"""Background jobs of the agencies app (Celery autodiscovers ``jobs`` modules): webhook deliveries.

Beat runs ``resend_due_webhooks`` every five minutes (the schedule is in the database, made by the
migration ``0007_webhooks``: see the django-celery-beat pages of the admin).
"""

from celery import shared_task

from agencies import webhooks


# time_limit: the receiver's timeouts bound each read; this bounds an answer dribbled byte by byte.
@shared_task(bind=True, max_retries=None, time_limit=60)
def deliver_webhook(self, delivery_id, attempts=0):
    """Send attempt ``attempts + 1`` of a delivery; on a non-2xx answer or a network error, retry
    with backoff (``webhooks.retry_delay``) until ``WEBHOOK_MAX_ATTEMPTS``. Each attempt is claimed
    first, so a duplicate job (the sweep's, a redelivered message) sends nothing."""
    delivery = webhooks.claim(delivery_id, attempts)
    if delivery is None:
        return None
    delay = webhooks.attempt(delivery)
    if delay is not None:
        raise self.retry(args=(delivery_id, delivery.attempts), countdown=delay)
    return delivery.state


@shared_task
def resend_due_webhooks():
    """Queue again the pending deliveries whose job never reached the broker or was lost."""
    due = webhooks.due_for_resending()
    for delivery_id, attempts in due:
        deliver_webhook.delay(delivery_id, attempts)
    return len(due)
