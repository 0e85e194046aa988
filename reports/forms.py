from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agencies.models import Province
from plans.models import Plan
from reports.models import Report
from reports.periods import FIRST_YEAR, LAST_YEAR, PeriodError, parse_period

_YEARS = {"first": FIRST_YEAR, "last": LAST_YEAR}
# The message for a period that cannot be read, wherever one is asked for.
PERIOD_HELP = _("“%(period)s” is not a reporting period: write Year 2024, Quarter III of 2024, First half "
                "of 2024 or 01/01/2024 - 30/06/2024, with a year from %(first)s to %(last)s.")


class ReportForm(forms.ModelForm):
    """What the author writes in a draft; the figures come from the data."""

    class Meta:
        model = Report
        fields = ["number", "report_date", "summary", "difficulties", "proposals", "signer",
                  "signer_position"]
        widgets = {
            # A dd/mm/yyyy text box like every date of the portal (tasks.forms), not the browser's
            # date picker, which writes dates the way the browser's locale does.
            "report_date": forms.DateInput(attrs={"placeholder": _("dd/mm/yyyy")}),
            "summary": forms.Textarea(attrs={"rows": 8}),
            "difficulties": forms.Textarea(attrs={"rows": 4}),
            "proposals": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-control")


class PeriodField(forms.CharField):
    """A reporting period written as reports.periods reads it ("2024", "2024-Q3", "Quý III/2024"…),
    cleaned to its :class:`~reports.periods.Period`."""

    default_error_messages = {"invalid": PERIOD_HELP}

    def to_python(self, value):
        text = super().to_python(value)
        if text in self.empty_values:
            return None
        try:
            return parse_period(text)
        except PeriodError as error:
            raise forms.ValidationError(
                self.error_messages["invalid"], code="invalid", params={"period": text, **_YEARS}
            ) from error


class ProvinceForm(forms.Form):
    """``?province=slug``: the province a superuser looks at (anyone else sees their own)."""

    province = forms.ModelChoiceField(queryset=Province.objects.all(), to_field_name="slug", required=False)


def this_year():
    return parse_period(str(timezone.localdate().year))


class PeriodForm(forms.Form):
    """``?period=`` of the dashboards, the exports and the list of submissions: the current year
    when none is given."""

    period = PeriodField(required=False)

    def clean_period(self):
        return self.cleaned_data["period"] or this_year()


class PlanForm(forms.Form):
    """One of ``plans`` (those the user sees), by its id."""

    plan = forms.ModelChoiceField(label=_("Plan"), queryset=Plan.objects.none())

    def __init__(self, *args, plans, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = plans


class SubmissionsForm(PlanForm, PeriodForm):
    """``?plan=&period=``: whose reports of one of the user's plans are in for a period."""


class NewReportForm(PlanForm):
    """Which report to start: of a plan the user sees, for a period, of a kind (checked by the view
    against the user's role)."""

    kind = forms.ChoiceField(choices=Report.Kind.choices, required=False)
    period = PeriodField(error_messages={"required": _("Choose a period such as 2024, 2024-Q3 or 2024-H1.")})


class LateAgencyForm(forms.Form):
    """One row of the leader's late-agency panel: the words it is listed under and, unless they name
    no agency of the catalogue, the agency's id."""

    agency = forms.CharField(max_length=255)
    agency_id = forms.IntegerField(required=False, min_value=1)
