"""Forms of the review queue: a decision on one item (inline, htmx or a plain form) and on several at
once. An item is named as on the page, ``task-12`` or ``occurrence-34``; an item of a bulk decision
carries the task's version the admin saw, ``task-12:7`` (see tasks.workflow.record)."""

import re
from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

ITEM_KINDS = ("task", "occurrence")
ITEM = re.compile(r"(task|occurrence)-([1-9][0-9]{0,18})")
VERSIONED_ITEM = re.compile(ITEM.pattern + r":([1-9][0-9]{0,9})")
MAX_ID = 2**63 - 1  # BigAutoField
MAX_VERSION = 2**31 - 1  # PositiveIntegerField
MAX_ITEMS = 200  # a bulk decision: the queue shows 50 a page
UNREADABLE = _("This item could not be read: reload the review queue and try again.")
DECISIONS = [("accept", pgettext_lazy("review queue", "Accept")), ("return", _("Return"))]


@dataclass(frozen=True)
class ItemRef:
    """One item of the queue as a form names it: a task or a period (occurrence), with the version
    of its task the admin saw (None where the form carries it apart)."""

    kind: str
    pk: int
    version: int | None = None

    @property
    def dom_id(self):
        return f"{self.kind}-{self.pk}"


def parse_item(value, versioned=False):
    """The :class:`ItemRef` written in ``value``, or None for anything else (never raises)."""
    match = (VERSIONED_ITEM if versioned else ITEM).fullmatch(value or "")
    if match is None:
        return None
    pk = int(match.group(2))
    version = int(match.group(3)) if versioned else None
    if pk > MAX_ID or (version is not None and version > MAX_VERSION):
        return None
    return ItemRef(match.group(1), pk, version)


class ItemField(forms.CharField):
    """``task-12`` or ``occurrence-34``, cleaned into an :class:`ItemRef`."""

    widget = forms.HiddenInput
    default_error_messages = {"required": UNREADABLE, "invalid": UNREADABLE}

    def __init__(self, **kwargs):
        super().__init__(max_length=40, error_messages={"max_length": UNREADABLE}, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        ref = parse_item(value)
        if ref is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return ref


class ItemsField(forms.Field):
    """Several ``task-12:7`` values (checkboxes of one name), cleaned into distinct :class:`ItemRef`."""

    widget = forms.MultipleHiddenInput
    default_error_messages = {
        "required": _("Select at least one item."),
        "invalid": _("Some of the selected items could not be read: reload the review queue and select "
                     "them again. Nothing was changed."),
    }

    def to_python(self, value):
        if not value:
            return []
        if not isinstance(value, list | tuple):
            value = [value]
        if len(value) > MAX_ITEMS:
            raise forms.ValidationError(
                _("Select at most %(max)d items at once."), code="too_many", params={"max": MAX_ITEMS}
            )
        refs = [parse_item(str(v), versioned=True) for v in value]
        if None in refs:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        distinct = {}
        for ref in refs:  # the same item twice: its first version counts
            distinct.setdefault((ref.kind, ref.pk), ref)
        return list(distinct.values())


class DecisionForm(forms.Form):
    """What every review decision says: accept or return, and a note (required to return)."""

    decision = forms.ChoiceField(
        choices=DECISIONS,
        error_messages={
            "required": _("Choose whether to accept or to return the work."),
            "invalid_choice": _("Choose whether to accept or to return the work."),
        },
    )
    note = forms.CharField(
        label=_("Comment (required when returning)"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"class": "form-control form-control-sm", "rows": 2}),
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "return" and not data.get("note") and "note" not in self.errors:
            self.add_error("note", _("Give the reason for returning the work."))
        return data

    @property
    def accept(self):
        return self.cleaned_data["decision"] == "accept"

    def first_error(self):
        """The first error to show (a decision is one line on the queue, not a full form)."""
        for errors in self.errors.values():
            return errors[0]
        return ""


class ReviewItemForm(DecisionForm):
    """A decision on one item of the queue, made knowing the task's ``version``."""

    item = ItemField()
    version = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=1,
        max_value=MAX_VERSION,
        error_messages=dict.fromkeys(("required", "invalid", "min_value", "max_value"), UNREADABLE),
    )
    field_order = ["item", "version", "decision", "note"]

    def ref(self):
        """The item, with its version, once valid."""
        item = self.cleaned_data["item"]
        return ItemRef(item.kind, item.pk, self.cleaned_data["version"])

    def posted_item(self):
        """The item named, even when another field is wrong (to show the error on it), else None."""
        return parse_item(self.data.get("item", ""))


class BulkReviewForm(DecisionForm):
    """The same decision on several items of the queue, each carrying the version the admin saw."""

    items = ItemsField()
    field_order = ["items", "decision", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, auto_id="bulk_%s", **kwargs)
        self.fields["note"].label = _("Reason for returning the selected items")
