import time

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.shortcuts import render
from django.utils import translation


class ChosenLanguageMiddleware:
    """Vietnamese unless the user picked another language (the cookie set by ``set_language``).

    Unlike Django's LocaleMiddleware, the browser's Accept-Language is ignored: provincial staff
    often run English-language browsers but work in Vietnamese.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.languages = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in self.languages:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class SlidingSessionMiddleware:
    """A signed-in session ends ``SESSION_COOKIE_AGE`` after its last request, not after its login.

    Django dates a session's end whenever it saves the session. Saving on every request
    (``SESSION_SAVE_EVERY_REQUEST``) would write to the database on every page and every htmx poll;
    here a session is dated again when it is saved anyway (at login) and otherwise at most once every
    ``REFRESH_SECONDS``, so it ends between that much less than ``SESSION_COOKIE_AGE`` and
    ``SESSION_COOKIE_AGE`` after the last request.
    """

    KEY = "_refreshed_at"
    REFRESH_SECONDS = 60

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = request.session
        # A request that never read the session (health checks, static files) costs no query.
        if session.accessed and SESSION_KEY in session:
            now = int(time.time())
            refreshed_at = session.get(self.KEY)
            stale = refreshed_at is not None and now - refreshed_at >= self.REFRESH_SECONDS
            if session.modified or stale:
                session[self.KEY] = now
        return response


class OversizedNumberMiddleware:
    """A number too large for the database in a link or a form ("?agency=99999999999999999999")
    answers 400 with a page saying so, not 500. PostgreSQL compares such a number and finds nothing;
    SQLite (the demo's database) raises ``OverflowError`` wherever a form or a filter looks it up."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, OverflowError):
            return render(request, "errors/bad_number.html", status=400)
        return None
