"""Rows kept through a plan (tasks, their periods, history, extension requests, targets) are seen by
the users of the plan's province and of the province that took it over, and by no one else."""

import datetime

import pytest

from agencies.models import Role
from tasks.models import ExtensionRequest, Occurrence, Target, Task, TaskUpdate
from tests.factories import PlanFactory, ProvinceFactory, TargetFactory, TaskFactory, UserFactory

pytestmark = pytest.mark.django_db

DUE = datetime.date(2025, 6, 30)


@pytest.fixture
def provinces():
    da_nang = ProvinceFactory(name="Thành phố Đà Nẵng", slug="da-nang")
    quang_nam = ProvinceFactory(name="Tỉnh Quảng Nam", slug="quang-nam",
                                active_until=datetime.date(2025, 6, 30), successor=da_nang)
    hue = ProvinceFactory(name="Thành phố Huế", slug="hue")
    return quang_nam, da_nang, hue


def _rows_of(province):
    """One row of each plan-scoped model on a plan of ``province``."""
    task = TaskFactory(plan=PlanFactory(province=province))
    author = UserFactory(province=province)
    return {
        Task: task,
        Occurrence: Occurrence.objects.create(task=task, due=DUE),
        TaskUpdate: TaskUpdate.objects.create(task=task, kind=TaskUpdate.Kind.REPORT, author=author),
        ExtensionRequest: ExtensionRequest.objects.create(
            task=task, requested_by=author, agency=author.agency, original_due=DUE,
            proposed_due=DUE + datetime.timedelta(days=30)),
        Target: TargetFactory(plan=task.plan),
    }


@pytest.mark.parametrize("model", [Task, Occurrence, TaskUpdate, ExtensionRequest, Target],
                         ids=lambda model: model.__name__)
def test_the_merged_provinces_rows_are_seen_by_the_province_holding_it_only(provinces, model):
    quang_nam, da_nang, hue = provinces
    inherited, own = _rows_of(quang_nam), _rows_of(da_nang)
    _rows_of(hue)
    city_admin = UserFactory(province=da_nang, role=Role.PROVINCE_ADMIN, agency=None)

    seen = set(model.objects.visible_to(city_admin))

    assert seen == {inherited[model], own[model]}
