"""The comment form: the text, and an agency to mention picked from a list the browser completes."""

from django import forms
from django.core.validators import ProhibitNullCharactersValidator
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from agencies.names import remove_invisible
from tasks.mentions import MentionCatalogue, normalize_comment
from tasks.permissions import can_comment

COMMENT_MAX_LENGTH = 4000
DATALIST_ID = "comment-agencies"
NUL_REFUSED = ProhibitNullCharactersValidator(message=gettext_lazy("The text cannot hold NUL characters."))


class PlainText(forms.CharField):
    """Text with a NUL character refused in the portal's words (Django's own check, reworded)."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.validators = [
            NUL_REFUSED if isinstance(v, ProhibitNullCharactersValidator) else v for v in self.validators
        ]


class CommentField(PlainText):
    """Text as stored (``tasks.mentions.normalize_comment``) before its length is checked: a line
    break the browser sends as two characters counts as one, as the page counts it."""

    def to_python(self, value):
        value = super().to_python(value)
        return normalize_comment(value) if value else value


class CommentForm(forms.Form):
    """A comment, and an agency to mention picked from the province's (a ``<datalist>``: browsers
    complete it without script); it is written "@name" at the start of the comment."""

    text = CommentField(
        label=pgettext_lazy("discussion", "Comment"),
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 3}),
        help_text=gettext_lazy(
            "Write @ and an agency's name (@Sở Tài chính) to tell its focal points. A comment cannot be "
            "edited; you may withdraw it."
        ),
        error_messages={"required": gettext_lazy("Write your comment before sending it.")},
    )
    mention = PlainText(
        label=gettext_lazy("Mention an agency"),
        max_length=255,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control", "list": DATALIST_ID, "autocomplete": "off"}),
    )

    def __init__(self, *args, catalogue, **kwargs):
        super().__init__(*args, **kwargs)
        self.catalogue = catalogue

    def clean_text(self):
        text, _removed = remove_invisible(self.cleaned_data["text"])  # bidirectional overrides and the like
        if not text.strip():
            raise forms.ValidationError(_("Write your comment before sending it."))
        return text

    def clean_mention(self):
        mention = " ".join(remove_invisible(self.cleaned_data["mention"])[0].split()).lstrip("@")
        if not mention:
            return ""
        name = self.catalogue.resolve(mention)
        if name is None:
            raise forms.ValidationError(
                _("No agency of the province in force today is called “%(name)s”.") % {"name": mention}
            )
        return name

    def clean(self):
        cleaned = super().clean()
        text, mention = cleaned.get("text"), cleaned.get("mention")
        named = text and mention and any(m["name"] == mention for m in self.catalogue.mentions(text))
        if text and mention and not named:
            cleaned["text"] = text = f"@{mention} {text}"
        if text and len(text) > COMMENT_MAX_LENGTH:
            self.add_error("text", _("A comment holds at most %(n)d characters.") % {"n": COMMENT_MAX_LENGTH})
        return cleaned


def comment_form(task, user, data=None):
    """The form for ``user`` on ``task`` if they may comment, else None (the task from
    ``Task.objects.with_roles_of(user)``)."""
    if not can_comment(user, task):
        return None
    return CommentForm(data, catalogue=MentionCatalogue(task, timezone.localdate()))
