"""What every list's filters share."""

from django import forms
from django.utils.translation import gettext_lazy as _

# The empty choice of every filter select: "All" reads better than django-filter's "---------".
ALL = _("All")


class FilterForm(forms.Form):
    """The form of every list's filters (``Meta.form`` of the portal's filtersets): Bootstrap
    classes on each widget, so ``includes/list_filters.html`` only lays the fields out."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field.widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(field.widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            field.widget.attrs["class"] = css
