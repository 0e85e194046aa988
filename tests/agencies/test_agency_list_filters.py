"""The filters of the agency list: "All" as the kind's empty choice, Bootstrap widgets."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_kind_select_starts_with_all_and_widgets_are_styled(client, province_admin, lead_agency):
    client.force_login(province_admin)

    response = client.get(reverse("agencies:list"))

    form = response.context["filter"].form
    assert str(list(form.fields["kind"].choices)[0][1]) == "Tất cả"
    assert form.fields["kind"].widget.attrs["class"] == "form-select"
    assert form.fields["q"].widget.attrs["class"] == "form-control"
    assert '<option value="" selected>Tất cả</option>' in response.text
    assert "---------" not in response.text
    assert lead_agency.name in response.text
