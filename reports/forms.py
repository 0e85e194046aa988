from django import forms
from django.utils.translation import gettext_lazy as _

from reports.models import Report


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
