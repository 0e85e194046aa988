from django import forms
from django.utils.translation import gettext_lazy as _

from tasks.models import Task


class DeadlineForm(forms.ModelForm):
    """An admin corrects the printed deadline or dates a task whose deadline cannot be read."""

    class Meta:
        model = Task
        fields = ["deadline_text", "due_override"]
        widgets = {
            "deadline_text": forms.TextInput(attrs={"class": "form-control"}),
            "due_override": forms.DateInput(attrs={"class": "form-control", "placeholder": _("dd/mm/yyyy")}),
        }
