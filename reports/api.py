"""API v1 for the report figures: what ``build_report --format json`` prints, for a plan or a
province and a period, computed by the same ``build_summary`` (``reports.summary``)."""

from django import forms
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from agencies.models import Province
from config.api.params import date_help, in_years
from config.api.permissions import ScopedAccess, SeesDashboards
from config.params import MAX_PK_DIGITS
from plans.models import Plan
from reports.forms import PeriodForm
from reports.summary import CATEGORIES, as_contract, build_summary


class FiguresForm(PeriodForm):
    """``?period=`` (default: the current year), and ``?plan=`` (an id) or ``?province=`` (a slug;
    default: the caller's), ``?date=`` (the day the report is made, default today)."""

    plan = forms.IntegerField(required=False, min_value=1, max_value=10**MAX_PK_DIGITS - 1)
    province = forms.SlugField(required=False, max_length=50)
    date = forms.DateField(required=False, input_formats=["%Y-%m-%d"])

    def clean_date(self):
        day = self.cleaned_data["date"]
        if day is not None and not in_years(day):
            raise forms.ValidationError(date_help())
        return day


def _counts(extra=()):
    return {name: serializers.IntegerField() for name in (*extra, *CATEGORIES, "awaiting_acceptance")}


class PeriodOut(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    start = serializers.DateField()
    end = serializers.DateField()
    window_start = serializers.DateField(help_text="Where the period's data starts (Decree 09/2019).")
    cutoff = serializers.DateField(help_text="The data cut-off.")
    due = serializers.DateField(help_text="When agencies' reports are due.")
    as_of = serializers.DateField(help_text="The day the figures are taken: the cut-off, or today before it.")


class ScopeOut(serializers.Serializer):
    province = serializers.CharField()
    plan = serializers.CharField(allow_null=True)
    plan_title = serializers.CharField(allow_null=True)
    agency = serializers.CharField(allow_null=True)


TotalsOut = type("TotalsOut", (serializers.Serializer,), _counts(["total"]))
AgencyRowOut = type("AgencyRowOut", (serializers.Serializer,),
                    {"agency": serializers.CharField(), **_counts(["lead"])})


class OverdueRowOut(serializers.Serializer):
    task = serializers.CharField(help_text="The task's code.")
    title = serializers.CharField()
    agency = serializers.CharField(help_text="Its lead agencies, answering on the day.")
    days_overdue = serializers.IntegerField()


class FiguresOut(serializers.Serializer):
    scope = ScopeOut()
    period = PeriodOut()
    totals = TotalsOut()
    agencies = AgencyRowOut(many=True)
    overdue = OverdueRowOut(many=True)


class ReportFiguresView(APIView):
    """The progress figures of a plan (``?plan=``) or of a province's plans (``?province=``, default
    the caller's) for a period (``?period=2024``, ``2024-Q3``, ``2024-H1``,
    ``2024-01-01:2024-06-30`` or as people write it; default the current year), as of the period's
    data cut-off or today before it (``?date=``: the day the report is made). For leaders,
    provincial admins, superusers and the province's API keys, as the *Tổng quan* pages."""

    permission_classes = [ScopedAccess, SeesDashboards]

    @extend_schema(
        parameters=[
            OpenApiParameter("period", OpenApiTypes.STR, description=_("2024, 2024-Q3, 2024-H1 or a range.")),
            OpenApiParameter("plan", {"type": "integer", "minimum": 1}, description=_("A plan's id.")),
            OpenApiParameter("province", OpenApiTypes.STR, description=_("A province's slug.")),
            OpenApiParameter("date", OpenApiTypes.DATE, description=_("The day the report is made.")),
        ],
        responses=FiguresOut,
    )
    def get(self, request):
        form = FiguresForm(request.query_params)
        if not form.is_valid():
            raise ValidationError(form.errors)
        user, data = request.user, form.cleaned_data
        plan = None
        if data["plan"]:
            plan = get_object_or_404(
                Plan.objects.visible_to(user).select_related("province", "report_recipient"), pk=data["plan"]
            )
            province = plan.province
        elif data["province"]:
            province = get_object_or_404(Province.objects.visible_to(user), slug=data["province"])
        elif user.province_id:
            province = user.province
        else:
            raise ValidationError({"province": [_("Choose a province or a plan.")]})
        summary = build_summary(province, data["period"], plan=plan, comparisons=False, today=data["date"])
        return Response({"scope": summary["scope"], **as_contract(summary)})
