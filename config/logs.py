"""Logging set-up (``LOGGING_CONFIG``): Django's, then the secret of calendar links masked wherever
a request's path is logged.

A calendar link's last segment is its credential (``agencies:calendar``): an access log that kept it
would hand every subscriber's deadlines to whoever reads the log.
"""

import logging
import logging.config
import re

# Gunicorn's access and error logs (they do not propagate to the root logger), runserver's log, and
# Django's loggers that write a request's path (404s and 500s, CSRF refusals).
REQUEST_LOGGERS = (
    "gunicorn.access",
    "gunicorn.error",
    "django.server",
    "django.request",
    "django.security.csrf",
)
CALENDAR_SECRET = re.compile(r"(/calendar/)[^/\s?#\"']+")
MASK = r"\1[secret]"


class MaskCalendarSecrets(logging.Filter):
    """Rewrites a record's message with each calendar link's secret replaced by ``[secret]``."""

    def filter(self, record):
        message = record.getMessage()
        masked = CALENDAR_SECRET.sub(MASK, message)
        if masked != message:
            record.msg, record.args = masked, None
        return True


def configure(logging_settings):
    """Applies ``LOGGING``, then filters the records of the loggers that write request paths: a
    filter on the logger, so every handler (gunicorn's own, Django's, the console) sees the mask."""
    logging.config.dictConfig(logging_settings)
    mask = MaskCalendarSecrets()
    for name in REQUEST_LOGGERS:
        logging.getLogger(name).addFilter(mask)
