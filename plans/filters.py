import django_filters
from django.db.models import Q
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext_lazy as _

from agencies.models import Province
from config.filters import ALL, FilterForm
from plans.models import Plan, PlanStatus


class PlanFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    province = django_filters.ModelChoiceFilter(
        label=_("Province"), queryset=Province.objects.none(), empty_label=ALL
    )
    year = django_filters.TypedChoiceFilter(
        label=_("Year"), field_name="reference_date__year", coerce=int, choices=[]
    )
    status = django_filters.ChoiceFilter(label=_("Status"), choices=PlanStatus.choices, empty_label=ALL)

    class Meta:
        model = Plan
        fields = ["q", "province", "year", "status"]
        form = FilterForm

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.request.user
        self.filters["province"].queryset = Province.objects.filter(
            pk__in=Plan.objects.visible_to(user).values("province")
        )
        years = (
            Plan.objects.visible_to(user)
            .annotate(y=ExtractYear("reference_date"))
            .values_list("y", flat=True)
            .distinct()
            .order_by("-y")
        )
        # A TypedChoiceField has no empty choice of its own: without this one the browser would
        # submit the first year and every search would be narrowed to it.
        self.filters["year"].extra["choices"] = [("", ALL), *((y, y) for y in years)]
        if not user.is_superuser:
            del self.filters["province"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(number__icontains=value) | Q(title__icontains=value))
