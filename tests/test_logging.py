"""Log lines: each record of Django's loggers is written once (Django's default logging gave the
"django" logger a console handler of its own beside the root's, so runserver printed every line
twice), and a calendar link's secret never reaches a log."""

import logging

import pytest
from django.conf import settings
from django.utils.log import configure_logging


@pytest.fixture
def demo_logging(settings):
    settings.DEBUG = True  # Django's own "django" handler writes only with DEBUG on
    configure_logging(settings.LOGGING_CONFIG, settings.LOGGING)
    yield
    configure_logging(settings.LOGGING_CONFIG, settings.LOGGING)


def _emitting_handlers(name, record):
    """The handlers a record logged on ``name`` goes through, as logging.Logger.callHandlers walks
    (pytest's capturing handlers left out)."""
    handlers, logger = [], logging.getLogger(name)
    while logger:
        handlers += [handler for handler in logger.handlers
                     if handler.filter(record) and not type(handler).__module__.startswith("_pytest")]
        logger = logger.parent if logger.propagate else None
    return handlers


@pytest.mark.parametrize("name", ["django.request", "django.security.csrf", "django.db.backends"])
def test_a_django_record_is_written_once(demo_logging, name):
    record = logging.LogRecord(name, logging.WARNING, __file__, 1, "Not Found: /x", None, None)

    assert len(_emitting_handlers(name, record)) == 1


def test_a_calendar_secret_is_masked_in_the_request_log(demo_logging, caplog):
    with caplog.at_level(logging.WARNING, logger="django.request"):
        logging.getLogger("django.request").warning("Not Found: %s", "/agencies/calendar/s3cr3t-token.ics")

    assert "s3cr3t" not in caplog.text and "/calendar/[secret]" in caplog.text
    assert settings.LOGGING_CONFIG == "config.logs.configure"
