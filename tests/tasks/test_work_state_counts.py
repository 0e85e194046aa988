"""The figures and the list of "Việc của tôi" (``work_state_counts``, ``CompiledWork``: compiled
once per process) are ``state_counts`` and the ordered rows of the filtered work itself, for every
user, filter and day: the SQL kept from one user's page never carries that user's agency, province
or plan into another's."""

import itertools

import pytest

from plans.models import Plan
from tasks.mine import CompiledWork, agency_work, ordered, work_state_counts
from tasks.states import add_counts, state_counts
from tests.factories import ProvinceFactory
from tests.tasks.test_state_counts_grouped import DAYS
from tests.tasks.test_work_counts_grouped import _focal_point

pytestmark = pytest.mark.django_db


def _counted_directly(user, day, plan=None, role=None, status=None):
    tasks, occurrences = agency_work(user, day, plan, role, status)
    return add_counts(state_counts(tasks, day), state_counts(occurrences, day))


@pytest.fixture
def users(province):
    return [_focal_point(province, 30), _focal_point(ProvinceFactory(), 20)]


def test_figures_are_those_of_each_users_own_work(users):
    for user, day in itertools.product(users, DAYS):
        assert work_state_counts(user, day) == _counted_directly(user, day), (user, day)
    assert work_state_counts(users[1], DAYS[-1])["total"]  # not vacuous


@pytest.mark.parametrize("role", [None, "lead", "coordinator"])
@pytest.mark.parametrize("status", [None, "overdue", "due_soon", "awaiting_contribution"])
def test_figures_follow_the_filters(users, role, status):
    user = users[0]
    plan = Plan.objects.filter(tasks__assignments__agency=user.agency_id).first()
    for day, chosen in itertools.product(DAYS[::2], (None, plan)):
        assert work_state_counts(user, day, chosen, role, status) == _counted_directly(
            user, day, chosen, role, status
        ), (day, chosen)


@pytest.mark.parametrize("filters", [(None, None, None), (None, "lead", None), (None, None, "overdue"),
                                     (None, "coordinator", "awaiting_contribution")])
def test_the_list_and_its_count_are_those_of_the_ordered_work(users, filters):
    for user, day in itertools.product(users, DAYS[::3]):
        tasks, occurrences = agency_work(user, day, *filters)
        direct = ordered(tasks, occurrences, day)
        listed = CompiledWork(user, day, filters)

        assert listed.count() == direct.count()
        assert listed[0:25] == list(direct[0:25])
        assert listed[3:7] == list(direct[3:7])
    assert CompiledWork(users[0], DAYS[-1]).count()  # not vacuous
