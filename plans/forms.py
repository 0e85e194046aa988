"""Forms of the appendix import (the upload, the admin's choices for the agency mentions to review)
and of a plan's settings."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agencies.fields import AgencyChoiceField, agency_label, offered_agencies
from agencies.models import Agency, AgencyKind, Province
from plans.appendix.reading import AppendixError, check_file
from plans.import_commit import MentionChoice
from plans.importing import limits, proposed_agency
from plans.models import Plan

DATE_WIDGET = forms.DateInput(attrs={"class": "form-control", "placeholder": _("dd/mm/yyyy")})
TEXT_WIDGET = forms.TextInput(attrs={"class": "form-control"})
UPLOAD_ACCEPT = ".xlsx,.xls,.ods,.csv,.docx,.pdf"


class UploadForm(forms.Form):
    """An appendix file for an existing plan, or for a new plan described by the other fields.

    Superusers, who belong to no province, choose the province of a new plan. The file is checked
    (format, size, signature, password, zip bomb) here; its table is read afterwards.
    """

    province = forms.ModelChoiceField(
        label=_("Province"), queryset=Province.objects.all(), required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    plan = forms.ModelChoiceField(
        label=_("Plan"), queryset=Plan.objects.none(), required=False, empty_label=_("— A new plan —"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    number = forms.CharField(label=_("Number"), max_length=50, required=False, widget=TEXT_WIDGET,
                             help_text=_('As printed, e.g. "115/KH-UBND"; empty for a draft.'))
    title = forms.CharField(label=_("Title"), required=False, widget=forms.Textarea(
        attrs={"class": "form-control", "rows": 2}),
        help_text=_("Empty: as the document prints it, else the title rows above the table."))
    issued_on = forms.DateField(label=_("Issued on"), required=False, widget=DATE_WIDGET)
    reference_date = forms.DateField(
        label=_("Deadline reference date"), required=False, widget=DATE_WIDGET,
        help_text=_('Deadlines such as "Hằng quý" are read from this date. Empty: the issue date given '
                    "here or printed in the document, else today."),
    )
    file = forms.FileField(
        label=_("The plan or its appendix"),
        widget=forms.ClearableFileInput(attrs={"class": "form-control", "accept": UPLOAD_ACCEPT}),
        help_text=_("The appendix table: Excel (.xlsx, .xls), OpenDocument (.ods), CSV (UTF-8); or the whole "
                    "plan as published: Word (.docx) or PDF, scans included. Empty number, title and "
                    "date are taken from the document."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["plan"].queryset = Plan.objects.visible_to(user).select_related("province")
        if not user.is_superuser:
            del self.fields["province"]
        self.data_bytes = b""

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            self.data_bytes = check_file(upload, upload.name, **limits())
        except AppendixError as error:
            raise forms.ValidationError(error.message) from error
        return upload

    def clean(self):
        cleaned = super().clean()
        plan = cleaned.get("plan")
        if plan is not None:
            cleaned["province"] = plan.province
            return cleaned
        if self.user.is_superuser and not cleaned.get("province"):
            self.add_error("province", _("Choose the province of the new plan."))
            return cleaned
        cleaned["province"] = cleaned.get("province") or self.user.province
        number = cleaned.get("number", "").strip()
        if number and Plan.objects.filter(province=cleaned["province"], number=number).exists():
            self.add_error("number", _("This province already has a plan with this number: choose it above."))
        cleaned["number"] = number
        # None: the date the document prints, else today (``importing.build_import_preview``).
        cleaned["reference_date"] = cleaned.get("reference_date") or cleaned.get("issued_on")
        return cleaned

    def new_plan(self):
        """Field values (JSON-ready) of the plan to create on confirmation, {} for an existing plan.
        An empty title is taken from the file once it is read."""
        if self.cleaned_data["plan"] is not None:
            return {}
        issued_on, reference_date = self.cleaned_data["issued_on"], self.cleaned_data["reference_date"]
        return {  # empty fields are taken from the document, else defaults (``importing.plan_to_create``)
            "number": self.cleaned_data["number"],
            "title": self.cleaned_data["title"].strip(),
            "issued_on": issued_on.isoformat() if issued_on else None,
            "reference_date": reference_date.isoformat() if reference_date else None,
        }


class NewPlanForm(forms.Form):
    """The plan a confirmed import creates, prefilled with what the admin gave and what the document
    prints of itself (``importing.plan_to_create``)."""

    number = forms.CharField(label=_("Number"), max_length=50, required=False, widget=TEXT_WIDGET,
                             help_text=_("Empty for a draft."))
    title = forms.CharField(
        label=_("Title"), widget=forms.Textarea(attrs={"class": "form-control", "rows": 2})
    )
    issued_on = forms.DateField(label=_("Issued on"), required=False, widget=DATE_WIDGET)
    issuer = forms.CharField(label=_("Issuing body"), max_length=255, widget=TEXT_WIDGET)
    signer = forms.CharField(label=_("Signer"), max_length=255, required=False, widget=TEXT_WIDGET)
    signer_position = forms.CharField(
        label=_("Signer's position"), max_length=255, required=False, widget=TEXT_WIDGET
    )

    def __init__(self, *args, province, **kwargs):
        super().__init__(*args, prefix="plan", **kwargs)
        self.province = province

    def clean_number(self):
        number = self.cleaned_data["number"].strip()
        if number and Plan.objects.filter(province=self.province, number=number).exists():
            raise forms.ValidationError(_("This province already has a plan with this number."))
        return number


KEEP_TEXT, CREATE = "text", "create"


class MentionChoiceForm(forms.Form):
    """One choice per agency mention to review: an agency of the province (its suggestions first), a
    new agency of a chosen kind, or the text kept as printed. A mention of an agency out of force on
    the plan's date ``on`` starts on the agency proposed in its place, the former one offered too."""

    def __init__(self, *args, mentions, agencies, on, **kwargs):
        super().__init__(*args, **kwargs)
        self.mentions = mentions
        names = {agency.name: agency for agency in agencies}
        everyone = [(str(agency.pk), agency_label(agency, on)) for agency in agencies]
        for index, entry in enumerate(mentions):
            # A resolved mention is out of force on the plan's date: the agency proposed, then the former.
            resolved = entry["agency"]
            shortlist = [proposed_agency(entry), resolved] if resolved else entry["suggestions"]
            suggested = [
                (str(names[name].pk), agency_label(names[name], on))
                for name in dict.fromkeys(shortlist) if name in names
            ]
            proposed = names.get(proposed_agency(entry))
            choices = [(KEEP_TEXT, _("Keep as printed text")), (CREATE, _("Create a new agency"))]
            if suggested:
                choices.append((_("Suggestions"), suggested))
            choices.append((_("All agencies of the province"), everyone))
            self.fields[f"choice_{index}"] = forms.ChoiceField(
                label=entry["mention"], choices=choices, initial=str(proposed.pk) if proposed else KEEP_TEXT,
                widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
            )
            self.fields[f"kind_{index}"] = forms.ChoiceField(
                label=_("Kind of the new agency"), choices=AgencyKind.choices, initial=AgencyKind.DEPARTMENT,
                required=False, widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
            )

    def clean(self):
        cleaned = super().clean()
        for index in range(len(self.mentions)):
            if cleaned.get(f"choice_{index}") == CREATE and not cleaned.get(f"kind_{index}"):
                self.add_error(f"kind_{index}", _("Choose the kind of the new agency."))
        return cleaned

    def rows(self):
        """(mention entry, choice field, kind field) for the template."""
        return [(entry, self[f"choice_{i}"], self[f"kind_{i}"]) for i, entry in enumerate(self.mentions)]

    def choices(self):
        """``{mention: MentionChoice}`` of a valid form."""
        result = {}
        for index, entry in enumerate(self.mentions):
            value = self.cleaned_data[f"choice_{index}"]
            if value == CREATE:
                choice = MentionChoice("create", kind=self.cleaned_data[f"kind_{index}"])
            elif value == KEEP_TEXT:
                choice = MentionChoice("text")
            else:
                choice = MentionChoice("agency", agency_id=int(value))
            result[entry["mention"]] = choice
        return result


def agencies_for(province, on, mentions):
    """The agencies an admin may map a mention to in a plan of the date ``on``: those not ended by
    then, and those ``mentions`` (of ``mentions_to_review``) resolve to, which the admin may keep."""
    agencies = Agency.objects.filter(province=province)
    resolved = [entry["agency"] for entry in mentions if entry["agency"]]
    kept = agencies.filter(name__in=resolved).values("pk") if resolved else ()
    return offered_agencies(agencies, on, kept).only("pk", "name", "active_until").order_by("name")


class PlanSettingsForm(forms.ModelForm):
    """What the plan's admin tunes: its horizon, reporting cycle, reminders and report recipient."""

    class Meta:
        model = Plan
        fields = ["status", "end_year", "reporting_deadline_text", "reminder_days", "escalate_after",
                  "escalate_admin_after", "report_recipient", "awaiting_counts_as_done",
                  "indicators_required"]
        widgets = {
            "status": forms.Select(attrs={"class": "form-select"}),
            "end_year": forms.NumberInput(attrs={"class": "form-control"}),
            "reporting_deadline_text": TEXT_WIDGET,
            "reminder_days": TEXT_WIDGET,
            "escalate_after": forms.NumberInput(attrs={"class": "form-control"}),
            "escalate_admin_after": forms.NumberInput(attrs={"class": "form-control"}),
            "report_recipient": forms.Select(attrs={"class": "form-select"}),
            "awaiting_counts_as_done": forms.CheckboxInput(attrs={"class": "form-check-input"}),
            "indicators_required": forms.CheckboxInput(attrs={"class": "form-check-input"}),
        }
        field_classes = {"report_recipient": AgencyChoiceField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["end_year"].widget.attrs["placeholder"] = str(self.instance.horizon_year)
        self.fields["report_recipient"].offer(
            Agency.objects.filter(province=self.instance.province_id), timezone.localdate(),
            keep=[self.instance.report_recipient_id],
        )
