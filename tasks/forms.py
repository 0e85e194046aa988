from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from agencies.models import Agency
from plans.models import Plan, PlanStatus
from tasks.evidence import ACCEPTED_EXTENSIONS, UnacceptableFile, check_file
from tasks.models import AssignmentRole, DeadlineKind, Occurrence, Task, TaskStatus
from tasks.states import NO_DUE_DATE_LABEL, ProgressState
from tasks.targets.models import describe

EVIDENCE_MAX_BYTES = 20 * 1024 * 1024  # unless settings.EVIDENCE_MAX_BYTES says otherwise
# The image types beside the extensions: a phone then offers its camera as well as its files (and
# an iPhone hands a photo over as JPEG).
EVIDENCE_ACCEPT = ",".join((*ACCEPTED_EXTENSIONS, "image/jpeg", "image/png", "image/webp", "image/gif"))
TEXTAREA = {"class": "form-control", "rows": 3}


class DeadlineForm(forms.ModelForm):
    """An admin corrects the printed deadline or dates a task whose deadline cannot be read."""

    class Meta:
        model = Task
        fields = ["deadline_text", "due_override"]
        widgets = {
            "deadline_text": forms.TextInput(attrs={"class": "form-control"}),
            "due_override": forms.DateInput(attrs={"class": "form-control", "placeholder": _("dd/mm/yyyy")}),
        }


class MyTasksFilterForm(forms.Form):
    """Filters of "My tasks": plan, the agency's role, and where the work stands."""

    STATUS_CHOICES = [
        ("", _("All")),
        ("overdue", ProgressState.OVERDUE.label),
        ("due_soon", _("Due within 7 days")),
        ("due_14", _("Due within 14 days")),
        ("in_progress", ProgressState.IN_PROGRESS.label),
        ("not_started", ProgressState.NOT_STARTED.label),
        ("no_due_date", NO_DUE_DATE_LABEL),
        ("done", TaskStatus.COMPLETED.label),
        ("awaiting_acceptance", TaskStatus.AWAITING_ACCEPTANCE.label),
        ("returned", TaskStatus.RETURNED.label),
        ("awaiting_contribution", _("Awaiting your agency's contribution")),
    ]

    plan = forms.ModelChoiceField(
        label=_("Plan"), queryset=Plan.objects.none(), required=False, empty_label=_("All plans")
    )
    role = forms.ChoiceField(
        label=_("Role"), choices=[("", _("Lead or coordinator")), *AssignmentRole.choices], required=False
    )
    status = forms.ChoiceField(label=_("Status"), choices=STATUS_CHOICES, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = Plan.objects.visible_to(user).filter(status=PlanStatus.ACTIVE)
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select"


class OccurrenceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return _("%(period)s (due %(date)s)") % {
            "period": obj.label, "date": date_format(obj.judged_due, "SHORT_DATE_FORMAT")
        }


def _periods_of(form, task, periods):
    """Offer ``periods`` of ``task``. A recurring task is reported, extended and judged one period
    at a time: the period is required, and unless one was asked for, the earliest offered."""
    field = form.fields["occurrence"]
    field.queryset = periods.select_related("task").order_by("due")
    if task.deadline_kind == DeadlineKind.RECURRING and not task.due_override:
        field.required = True
        field.empty_label = None
        if form.initial.get("occurrence") is None:
            form.initial["occurrence"] = field.queryset.first()


def _period_field(required=False, hidden=False):
    return OccurrenceChoiceField(
        label=pgettext_lazy("occurrence", "Period"),
        queryset=Occurrence.objects.none(),
        required=required,
        empty_label=_("The task as a whole"),
        widget=forms.HiddenInput if hidden else forms.Select(attrs={"class": "form-select"}),
    )


class VersionedForm(forms.Form):
    """Carries the task's version as the user saw it (see tasks.workflow.record)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, task, **kwargs):
        kwargs.setdefault("initial", {})["version"] = task.version
        super().__init__(*args, **kwargs)
        self.task = task


def _not_in_future(day):
    if day and day > timezone.localdate():
        raise forms.ValidationError(_("The date cannot be in the future."))
    return day


class ReportForm(VersionedForm):
    """A lead agency's progress report on a task or on one of its periods."""

    occurrence = _period_field()
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[
            (TaskStatus.NOT_STARTED, TaskStatus.NOT_STARTED.label),
            (TaskStatus.IN_PROGRESS, TaskStatus.IN_PROGRESS.label),
            (TaskStatus.AWAITING_ACCEPTANCE, _("Completed: send for acceptance")),
        ],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    progress = forms.IntegerField(
        label=_("Progress (%)"), min_value=0, max_value=100,
        widget=forms.NumberInput(attrs={"class": "form-control", "min": 0, "max": 100}),
    )
    completed_on = forms.DateField(
        label=_("Completed on"),
        required=False,
        help_text=_("Required when the work is complete (dd/mm/yyyy)."),
        widget=forms.DateInput(attrs={"class": "form-control", "placeholder": _("dd/mm/yyyy")}),
    )
    done = forms.CharField(label=_("What was done"), widget=forms.Textarea(attrs={**TEXTAREA, "rows": 5}))
    difficulties = forms.CharField(
        label=_("Difficulties and obstacles"), required=False, widget=forms.Textarea(attrs=TEXTAREA)
    )
    proposals = forms.CharField(
        label=_("Proposals and recommendations"), required=False, widget=forms.Textarea(attrs=TEXTAREA)
    )

    def __init__(self, *args, task, **kwargs):
        super().__init__(*args, task=task, **kwargs)
        _periods_of(self, task, task.occurrences.filter(
            status__in=[TaskStatus.NOT_STARTED, TaskStatus.IN_PROGRESS, TaskStatus.RETURNED]
        ))
        self.indicators = list(task.indicators.all())
        for indicator in self.indicators:
            self.fields[f"indicator_{indicator.pk}"] = forms.DecimalField(
                label=f"{describe(indicator)} {indicator.subject}".strip(), required=False, max_digits=16,
                decimal_places=4, localize=True, initial=indicator.reported,
                help_text=_("The value reached so far."),
                widget=forms.TextInput(attrs={"class": "form-control", "inputmode": "decimal"}),
            )

    def indicator_fields(self):
        return [self[f"indicator_{indicator.pk}"] for indicator in self.indicators]

    def indicator_values(self):
        """Indicator pk → the value given (indicators left blank are not reported)."""
        values = {pk.pk: self.cleaned_data.get(f"indicator_{pk.pk}") for pk in self.indicators}
        return {pk: value for pk, value in values.items() if value is not None}

    def clean_completed_on(self):
        return _not_in_future(self.cleaned_data["completed_on"])

    def clean(self):
        data = super().clean()
        missing = not data.get("completed_on") and "completed_on" not in self.errors  # not a bad date
        if data.get("status") == TaskStatus.AWAITING_ACCEPTANCE and missing:
            self.add_error("completed_on", _("Give the date the work was completed."))
        return data


class ContributionForm(forms.Form):
    """A coordinating agency's contribution (báo cáo phối hợp)."""

    done = forms.CharField(
        label=_("What your agency did"), widget=forms.Textarea(attrs={**TEXTAREA, "rows": 5})
    )
    difficulties = forms.CharField(
        label=_("Difficulties and obstacles"), required=False, widget=forms.Textarea(attrs=TEXTAREA)
    )
    proposals = forms.CharField(
        label=_("Proposals and recommendations"), required=False, widget=forms.Textarea(attrs=TEXTAREA)
    )


class EvidenceForm(forms.Form):
    """One evidence document: its reference as written, its file, or both."""

    reference = forms.CharField(
        label=_("Document reference"),
        max_length=255,
        required=False,
        widget=forms.TextInput(
            attrs={"class": "form-control", "placeholder": _("e.g. Quyết định số 123/QĐ-UBND ngày 12/6/2024")}
        ),
    )
    file = forms.FileField(
        label=_("File"),
        required=False,
        widget=forms.FileInput(attrs={"class": "form-control", "accept": EVIDENCE_ACCEPT}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload is None:
            return None
        max_bytes = getattr(settings, "EVIDENCE_MAX_BYTES", EVIDENCE_MAX_BYTES)
        try:
            self.cleaned_data["content_type"] = check_file(upload, upload.name, upload.size, max_bytes)
        except UnacceptableFile as error:
            messages = {
                "too_large": _("The file is larger than %(size)s.") % {"size": filesizeformat(max_bytes)},
                "kind": _("Only PDF, Word (DOCX, DOC), Excel (XLSX, XLS) files and images (PNG, JPEG, GIF, "
                          "WebP) are accepted."),
                "mismatch": _("The content of %(name)s does not match its extension.")
                % {"name": upload.name},
            }
            raise forms.ValidationError(messages[str(error)]) from None
        return upload


EvidenceFormSet = forms.formset_factory(EvidenceForm, extra=2, max_num=10, validate_max=True)


def evidence_items(formset):
    """The evidence rows the user filled in, as dicts for tasks.workflow.record."""
    return [data for data in formset.cleaned_data if data.get("reference") or data.get("file")]


class ReviewForm(VersionedForm):
    """The provincial admin accepts work reported complete, or returns it with a comment."""

    decision = forms.ChoiceField(choices=[("accept", _("Accept")), ("return", _("Return"))])
    occurrence = _period_field(hidden=True)
    note = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={**TEXTAREA, "rows": 2})
    )

    def __init__(self, *args, task, **kwargs):
        super().__init__(*args, task=task, **kwargs)
        self.fields["occurrence"].queryset = task.occurrences.filter(status=TaskStatus.AWAITING_ACCEPTANCE)

    def clean(self):
        data = super().clean()
        if data.get("decision") == "return" and not data.get("note"):
            self.add_error("note", _("Say what is missing when returning the work."))
        return data


class ExtensionRequestForm(forms.Form):
    """The lead agency asks for a new due date, with its reason."""

    occurrence = _period_field()
    proposed_due = forms.DateField(
        label=_("Proposed due date"),
        widget=forms.DateInput(attrs={"class": "form-control", "placeholder": _("dd/mm/yyyy")}),
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={**TEXTAREA, "rows": 4}))

    def __init__(self, *args, task, **kwargs):
        super().__init__(*args, **kwargs)
        _periods_of(self, task, task.occurrences.exclude(
            status__in=[TaskStatus.COMPLETED, TaskStatus.CANCELLED]
        ))


class ExtensionDecisionForm(VersionedForm):
    """The provincial admin approves or rejects an extension request."""

    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("reject", _("Reject"))])
    note = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={**TEXTAREA, "rows": 2})
    )


class StatusForm(VersionedForm):
    """The quick status change of a row of "My tasks" (htmx, or a plain form without JavaScript)."""

    status = forms.ChoiceField(
        choices=[
            (TaskStatus.NOT_STARTED, TaskStatus.NOT_STARTED.label),
            (TaskStatus.IN_PROGRESS, TaskStatus.IN_PROGRESS.label),
        ]
    )
    occurrence = _period_field(hidden=True)

    def __init__(self, *args, task, **kwargs):
        super().__init__(*args, task=task, **kwargs)
        self.fields["occurrence"].queryset = task.occurrences.all()


class HandoverTaskField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.plan.number or obj.plan.title[:40]} · {obj.code} · {obj.title[:140]}"


class HandoverForm(forms.Form):
    """A provincial admin hands tasks of one agency over to others, citing the decision."""

    tasks = HandoverTaskField(
        label=_("Tasks handed over"), queryset=Task.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    role = forms.ChoiceField(label=_("Handed over as"), choices=AssignmentRole.choices)
    to_agencies = forms.ModelMultipleChoiceField(
        label=_("To the agencies"), queryset=Agency.objects.none(),
        widget=forms.SelectMultiple(attrs={"class": "form-select", "size": 10}),
        help_text=_("Agencies in force on the date below. Hold Ctrl to choose several."),
    )
    decision = forms.CharField(
        label=_("Decision"), max_length=255,
        widget=forms.TextInput(attrs={"class": "form-control",
                                      "placeholder": _("Quyết định số …/QĐ-UBND ngày …")}),
    )
    effective_on = forms.DateField(
        label=_("Effective from"),
        widget=forms.DateInput(attrs={"class": "form-control", "placeholder": _("dd/mm/yyyy")}),
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs=TEXTAREA))

    def __init__(self, *args, tasks, agencies, from_agency, **kwargs):
        super().__init__(*args, **kwargs)
        self.from_agency = from_agency
        self.fields["tasks"].queryset = tasks
        self.fields["to_agencies"].queryset = agencies.exclude(pk=from_agency.pk)
        self.fields["role"].widget.attrs["class"] = "form-select"

    def clean(self):
        cleaned = super().clean()
        day, agencies = cleaned.get("effective_on"), cleaned.get("to_agencies")
        if day and agencies:
            ended = [a.name for a in agencies if not a.holds_on(day)]
            if ended:
                self.add_error("to_agencies", _("Not in force on %(date)s: %(agencies)s.") % {
                    "date": date_format(day, "SHORT_DATE_FORMAT"), "agencies": ", ".join(ended),
                })
        return cleaned
