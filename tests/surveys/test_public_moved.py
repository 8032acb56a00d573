"""The open link of a unit that has ended (an old QR poster, an old link) leads in one tap to the
survey of the unit of today that took it over."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from surveys.models import Response

pytestmark = pytest.mark.django_db


def test_the_open_link_of_an_ended_ward_leads_to_the_survey_of_todays_ward(client, quang_minh, van_ha):
    response = client.get(reverse("surveys:commune_survey", kwargs={"pk": quang_minh.pk}))

    assert response.status_code == 200
    assertContains(response, "Phường Quảng Minh đã được sáp nhập vào phường Vân Hà từ 01/07/2025.")
    assertContains(response, f'href="{reverse("surveys:commune_survey", kwargs={"pk": van_ha.pk})}"')
    assertNotContains(response, "<form")


def test_a_browser_that_answered_before_is_led_on_too(client, quang_minh, van_ha):
    client.cookies["survey_device"] = "an earlier visit"

    response = client.get(reverse("surveys:commune_survey", kwargs={"pk": quang_minh.pk}))

    assertContains(response, f'href="{reverse("surveys:commune_survey", kwargs={"pk": van_ha.pk})}"')


def test_a_post_to_an_ended_ward_stores_nothing_and_leads_on(client, quang_minh, van_ha):
    response = client.post(reverse("surveys:commune_survey", kwargs={"pk": quang_minh.pk}), {"F1.1": "5"})

    assert Response.objects.count() == 0
    assertContains(response, f'href="{reverse("surveys:commune_survey", kwargs={"pk": van_ha.pk})}"')
