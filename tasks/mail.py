"""E-mails built from three templates by naming convention: ``emails/<name>_subject.txt``,
``emails/<name>.txt`` and ``emails/<name>.html``."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import ngettext


@dataclass(frozen=True)
class MailItem:
    """One task line of a reminder or digest."""

    plan: str
    code: str
    title: str
    deadline_text: str
    due: datetime.date
    kind: str
    url: str
    today: datetime.date

    @property
    def days_overdue(self):
        return (self.today - self.due).days

    @property
    def when(self):
        days = (self.due - self.today).days
        if days > 0:
            return ngettext("%(n)d day left", "%(n)d days left", days) % {"n": days}
        if days == 0:
            return translation.gettext("due today")
        return ngettext("%(n)d day overdue", "%(n)d days overdue", -days) % {"n": -days}


def build_email(name, recipient, context):
    """Render the three templates of ``name`` in Vietnamese for ``recipient``."""
    context = {
        "recipient": recipient,
        "settings_url": settings.SITE_URL + reverse("agencies:profile"),
        **context,
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string(f"emails/{name}_subject.txt", context).split())
        text = render_to_string(f"emails/{name}.txt", context)
        html = render_to_string(f"emails/{name}.html", context)
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [recipient.email])
    message.attach_alternative(html, "text/html")
    return message
