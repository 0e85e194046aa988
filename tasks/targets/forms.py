"""Forms of targets and indicators: reporting a value, reviewing it, entering or correcting a target,
correcting a task's indicators."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency
from reports.periods import parse_period
from tasks.deadlines import parse_deadline
from tasks.forms import TEXTAREA, EvidenceForm
from tasks.models import Task
from tasks.targets.models import Comparator, Indicator, Target

NUMBER = {"class": "form-control", "inputmode": "decimal"}
TEXT = {"class": "form-control"}
SELECT = {"class": "form-select"}


def period_choices(target, today):
    """The years and quarters a value may be reported for, latest first: from the plan's year, those
    begun by ``today``."""
    choices = []
    for year in range(today.year, target.plan.reference_date.year - 1, -1):
        periods = [parse_period(str(year)), *(parse_period(f"{year}-Q{quarter}") for quarter in (4, 3, 2, 1))]
        choices += [(period.code, period.label) for period in periods if period.start <= today]
    return choices


def current_period_code(today):
    return parse_period(f"{today.year}-Q{(today.month - 1) // 3 + 1}").code


class TargetReportForm(EvidenceForm):
    """The value reached for a period, with its explanation and one evidence document."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    period = forms.ChoiceField(label=_("Period"), widget=forms.Select(attrs=SELECT))
    value = forms.DecimalField(label=_("Value reached"), max_digits=16, decimal_places=4, localize=True,
                               widget=forms.TextInput(attrs=NUMBER))
    note = forms.CharField(label=_("Explanation"), required=False, widget=forms.Textarea(attrs=TEXTAREA))

    field_order = ["version", "period", "value", "note", "reference", "file"]

    def __init__(self, *args, target, **kwargs):
        today = timezone.localdate()
        kwargs.setdefault("initial", {}).update(version=target.version, period=current_period_code(today))
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = period_choices(target, today)

    def clean(self):
        data = super().clean()
        if "period" in data:
            period = parse_period(data["period"])
            data["period_start"], data["period_end"] = period.start, period.end
        return data


class TargetReviewForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    decision = forms.ChoiceField(choices=[("accept", _("Accept")), ("return", _("Return"))])
    note = forms.CharField(label=_("Comment"), required=False,
                           widget=forms.Textarea(attrs={**TEXTAREA, "rows": 2}))

    def clean(self):
        data = super().clean()
        if data.get("decision") == "return" and not (data.get("note") or "").strip():
            self.add_error("note", _("Say why the value is returned."))
        return data


class TargetForm(forms.ModelForm):
    """A target entered or corrected by the plan's admin."""

    class Meta:
        model = Target
        fields = ["code", "group", "name", "comparator", "value", "value_max", "unit", "level",
                  "deadline_text", "reporting_agency", "baseline", "notes"]
        widgets = {
            "code": forms.TextInput(attrs=TEXT), "group": forms.TextInput(attrs=TEXT),
            "name": forms.Textarea(attrs={**TEXTAREA, "rows": 2}), "comparator": forms.Select(attrs=SELECT),
            "value": forms.TextInput(attrs=NUMBER), "value_max": forms.TextInput(attrs=NUMBER),
            "unit": forms.TextInput(attrs=TEXT), "level": forms.TextInput(attrs=TEXT),
            "deadline_text": forms.TextInput(attrs={**TEXT, "placeholder": "Năm 2026"}),
            "reporting_agency": forms.Select(attrs=SELECT), "baseline": forms.TextInput(attrs=NUMBER),
            "notes": forms.Textarea(attrs={**TEXTAREA, "rows": 2}),
        }
        localized_fields = ["value", "value_max", "baseline"]

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.instance.plan = plan
        on = plan.issued_on or plan.reference_date
        self.fields["reporting_agency"].queryset = Agency.objects.filter(province=plan.province).active(
            max(on, timezone.localdate())
        )

    def clean(self):
        data = super().clean()
        if data.get("comparator") == Comparator.BETWEEN and data.get("value_max") is None:
            self.add_error("value_max", _("A range needs its upper value."))
        code = data.get("code")
        taken = Target.objects.filter(plan=self.plan, code=code).exclude(pk=self.instance.pk)
        if code and taken.exists():
            self.add_error("code", _("Another target of this plan has this code."))
        return data

    def save(self, commit=True):
        target = super().save(commit=False)
        target.due = parse_deadline(target.deadline_text, self.plan.reference_date).due
        if commit:
            target.save()
        return target


IndicatorFormSet = forms.inlineformset_factory(
    Task, Indicator,
    fields=["comparator", "value", "value_max", "unit", "subject"], extra=1, can_delete=True,
    widgets={
        "comparator": forms.Select(attrs=SELECT), "value": forms.TextInput(attrs=NUMBER),
        "value_max": forms.TextInput(attrs=NUMBER), "unit": forms.TextInput(attrs=TEXT),
        "subject": forms.TextInput(attrs=TEXT),
    },
    localized_fields=["value", "value_max"],
)
