"""The urging page's forms: what to urge (filters read from the query string) and the notice sent."""

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from agencies.fields import AgencyChoiceField
from agencies.models import Agency
from config.filters import ALL, FilterForm
from config.params import pk_params
from plans.models import Plan, PlanStatus
from tasks.filters import DUE_WITHIN_MAX_DAYS
from tasks.states import DUE_SOON_DAYS
from tasks.urging import UrgeState

TEXTAREA = {"class": "form-control", "rows": 3}


class UrgeSelectionForm(FilterForm):
    """Which work the page lists: of a plan, of an agency as it answers today, overdue or due
    within so many days (a selection of tasks comes as ``?task=``, read by the view)."""

    plan = forms.ModelChoiceField(
        label=_("Plan"), queryset=Plan.objects.none(), required=False, empty_label=ALL
    )
    agency = AgencyChoiceField(
        label=_("Lead agency"), queryset=Agency.objects.none(), required=False, empty_label=ALL
    )
    state = forms.ChoiceField(label=_("Work"), choices=UrgeState.choices, required=False)
    days = forms.IntegerField(
        label=_("Due within (days)"), min_value=0, max_value=DUE_WITHIN_MAX_DAYS, required=False
    )

    def __init__(self, data, *, user, on):
        data = data.copy()
        data.setdefault("state", UrgeState.EITHER)
        data.setdefault("days", str(DUE_SOON_DAYS))
        super().__init__(data)
        self.fields["plan"].queryset = Plan.objects.visible_to(user).filter(status=PlanStatus.ACTIVE)
        self.fields["agency"].offer(Agency.objects.visible_to(user), on, keep=pk_params([data.get("agency")]))

    def clean(self):
        cleaned = super().clean()
        cleaned["state"] = cleaned.get("state") or UrgeState.EITHER
        if cleaned.get("days") is None:
            cleaned["days"] = DUE_SOON_DAYS
        return cleaned


class UrgingForm(forms.Form):
    """The notice: the tasks ticked (``item``: "task-agency" keys of the lines listed), its subject
    (the letter's excerpt), an optional request added to it, the date to report back by and the
    signer of the letter."""

    item = forms.MultipleChoiceField(
        label=_("Tasks to urge"), widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Tick at least one task to urge."),
            "invalid_choice": _("Some of the tasks ticked can no longer be urged (completed, cancelled or no "
                                "longer overdue or due soon): check the list again."),
        },
    )
    subject = forms.CharField(
        label=_("Subject"), max_length=500, widget=forms.TextInput(attrs={"class": "form-control"}),
        help_text=_("The excerpt under the letter's number, and the title of the notifications."),
    )
    message = forms.CharField(
        label=_("Further request"), required=False, widget=forms.Textarea(attrs=TEXTAREA),
        help_text=_("Optional: added to the letter and to the e-mails."),
    )
    report_by = forms.DateField(
        label=_("Report back by"), required=False,
        widget=forms.DateInput(attrs={"class": "form-control", "placeholder": _("dd/mm/yyyy")}),
    )
    signer_title = forms.CharField(
        label=_("Signer's title"), max_length=255, required=False,
        widget=forms.Textarea(attrs={**TEXTAREA, "rows": 2}),
        help_text=_("One line each, as the letter prints them: “KT. GIÁM ĐỐC”, then “PHÓ GIÁM ĐỐC”."),
    )
    signer_name = forms.CharField(
        label=_("Signer"), max_length=255, required=False,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )

    def __init__(self, *args, keys, on, **kwargs):
        super().__init__(*args, **kwargs)
        self.on = on
        self.fields["item"].choices = [(key, key) for key in keys]

    def clean_report_by(self):
        day = self.cleaned_data["report_by"]
        if day is not None and day < self.on:
            raise forms.ValidationError(
                _("The date to report back by cannot be before today (%(date)s).")
                % {"date": date_format(self.on, "SHORT_DATE_FORMAT")}
            )
        return day
