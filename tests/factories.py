import datetime

import factory

from agencies.models import Agency, AgencyKind, Province, Role, User
from plans.models import Plan, PlanSection
from tasks.models import AssignmentRole, Indicator, Target, TargetReport, Task, TaskAssignment


class ProvinceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Province
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Tỉnh {n}")
    slug = factory.Sequence(lambda n: f"tinh-{n}")


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    province = factory.SubFactory(ProvinceFactory)
    name = factory.Sequence(lambda n: f"Sở số {n}")
    kind = AgencyKind.DEPARTMENT


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    province = factory.SubFactory(ProvinceFactory)
    agency = factory.SubFactory(AgencyFactory, province=factory.SelfAttribute("..province"))
    role = Role.FOCAL_POINT
    password = factory.django.Password("secret-pass-123")


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plan

    province = factory.SubFactory(ProvinceFactory)
    number = factory.Sequence(lambda n: f"{n + 1}/KH-UBND")
    title = factory.Sequence(lambda n: f"Kế hoạch chuyển đổi số {n}")
    issued_on = datetime.date(2024, 4, 8)
    reference_date = factory.SelfAttribute("issued_on")
    issuer = "Ủy ban nhân dân tỉnh"


class PlanSectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlanSection

    plan = factory.SubFactory(PlanFactory)
    code = factory.Sequence(lambda n: f"S{n}")
    title = factory.Sequence(lambda n: f"Mục {n}")


class TaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Task

    plan = factory.SubFactory(PlanFactory)
    code = factory.Sequence(lambda n: str(n + 1))
    position = factory.Sequence(lambda n: n)
    title = factory.Sequence(lambda n: f"Nhiệm vụ {n}")
    deliverable = "Quyết định của UBND tỉnh"
    deadline_text = "Năm 2024"
    deadline_kind = "period"
    deadline_due = datetime.date(2024, 12, 31)


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TaskAssignment

    task = factory.SubFactory(TaskFactory)
    agency = factory.SubFactory(AgencyFactory, province=factory.SelfAttribute("..task.plan.province"))
    role = AssignmentRole.LEAD
    mention = factory.LazyAttribute(lambda a: a.agency.name if a.agency else "Văn phòng Chính phủ")
    position = factory.Sequence(lambda n: n)


class TargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Target

    plan = factory.SubFactory(PlanFactory)
    code = factory.Sequence(lambda n: str(n + 1))
    position = factory.Sequence(lambda n: n)
    name = factory.Sequence(lambda n: f"Tỷ lệ hồ sơ trực tuyến {n}")
    comparator = ">="
    value = 80
    unit = "%"
    deadline_text = "Năm 2026"
    due = datetime.date(2026, 12, 31)


class TargetReportFactory(factory.django.DjangoModelFactory):
    """An accepted value for the third quarter of 2026 unless told otherwise."""

    class Meta:
        model = TargetReport

    target = factory.SubFactory(TargetFactory)
    period_start = datetime.date(2026, 7, 1)
    period_end = datetime.date(2026, 9, 30)
    value = 85
    status = "accepted"


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    task = factory.SubFactory(TaskFactory)
    comparator = ">="
    value = 20
    unit = "doanh nghiệp"
    subject = "doanh nghiệp được hỗ trợ chuyển đổi số"


class WebhookFactory(factory.django.DjangoModelFactory):
    """A province's active webhook; its secret made as the portal makes it."""

    class Meta:
        model = "agencies.Webhook"

    province = factory.SubFactory(ProvinceFactory)
    name = factory.Sequence(lambda n: f"Hệ thống {n}")
    url = "http://127.0.0.1:9/hook"
    events = factory.LazyFunction(lambda: ["task.reported", "task.accepted", "task.returned"])
    secret = factory.LazyAttribute(lambda hook: f"whsec_test-secret-{hook.name}")


def change_periods(periods, **fields):
    """Set ``fields`` on each of ``periods`` (occurrences) and save it, as the workflow does: the
    period figures kept for its task (tasks.judgements) follow."""
    for period in periods:
        for name, value in fields.items():
            setattr(period, name, value)
        period.save()
