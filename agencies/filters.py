import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency, AgencyKind

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


class AgencyFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=AgencyKind.choices, empty_label=ALL)

    class Meta:
        model = Agency
        fields = ["q", "kind"]
        form = FilterForm

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(aliases__name__icontains=value)).distinct()
