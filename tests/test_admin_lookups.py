"""Every list of the Django admin answers malformed filters with its "invalid lookup" page, never a
500: a NUL character in a text filter, an integer past a C long in a date's year, a month 13, a
sort or page out of range, a search of 2,000 characters."""

import pytest
from django.contrib import admin
from django.db import models
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

REGISTERED = sorted(admin.site._registry, key=lambda model: model._meta.label)


def _first_field(model, kind):
    return next((field.name for field in model._meta.concrete_fields if isinstance(field, kind)), None)


def _malformed_queries(model):
    queries = [{"o": "-99"}, {"p": "-1"}, {"q": "x" * 2000}, {"q": "\x00"}]
    if text := _first_field(model, models.CharField):
        queries.append({f"{text}__exact": "\x00"})
    if date := _first_field(model, models.DateField):  # DateTimeField is a DateField
        queries += [
            {f"{date}__year": "99999999999999999999"},
            {f"{date}__year": "9999", f"{date}__month": "13"},
            {f"{date}__gte": "31/12/99999"},
        ]
    return queries


@pytest.mark.parametrize("model", REGISTERED, ids=[model._meta.label for model in REGISTERED])
def test_malformed_list_filters_never_answer_5xx(client, model):
    client.force_login(UserFactory(is_superuser=True, is_staff=True, province=None, agency=None))
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    statuses = {str(query)[:60]: client.get(url, query).status_code for query in _malformed_queries(model)}

    assert {query: status for query, status in statuses.items() if status >= 500} == {}
    assert client.get(url).status_code == 200
