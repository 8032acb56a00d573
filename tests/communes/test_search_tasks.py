"""The header's "Send feedback" and "Rate your visit" choose the commune first: the search then leads
from each result straight to the task's page of the unit of today."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

SEARCH = reverse("communes:commune_search")
SUGGEST = reverse("communes:commune_suggest")


@pytest.mark.parametrize(
    ("task", "url_name", "heading"),
    [
        ("feedback", "feedback:submit", "Gửi phản ánh, kiến nghị: trước hết chọn xã, phường"),
        ("survey", "surveys:commune_survey", "Đánh giá sự hài lòng: trước hết chọn xã, phường"),
    ],
)
def test_a_result_leads_to_the_task_of_todays_unit_also_from_a_unit_that_has_ended(
    client, quang_minh, van_ha, task, url_name, heading
):
    response = client.get(SEARCH, {"q": "xã quảng minh", "task": task})

    page = response.content.decode()
    target = reverse(url_name, kwargs={"pk": van_ha.pk})
    assertContains(response, f"<h1>{heading}</h1>", html=True)
    assert page.count(f'href="{target}"') == 2  # Vân Hà itself, and Quảng Minh that it took over
    assert reverse(url_name, kwargs={"pk": quang_minh.pk}) not in page
    assertContains(response, '<input type="hidden" name="task" value="' + task + '">', html=True)


def test_without_a_task_or_with_an_unknown_one_the_search_only_finds(client, quang_minh, van_ha):
    for params in ({"q": "quang minh"}, {"q": "quang minh", "task": "<script>"}):
        response = client.get(SEARCH, params)

        assertContains(response, "<h1>Tìm xã, phường, thị trấn</h1>", html=True)
        assertNotContains(response, reverse("feedback:submit", kwargs={"pk": van_ha.pk}))
        assertNotContains(response, 'name="task"')


def test_the_suggestions_lead_to_the_task_of_todays_unit(client, quang_minh, van_ha):
    plain = client.get(SUGGEST, {"q": "quang minh"}).json()["results"]
    for_feedback = client.get(SUGGEST, {"q": "quang minh", "task": "feedback"}).json()["results"]

    form = reverse("feedback:submit", kwargs={"pk": van_ha.pk})
    urls = {result["name"]: result["url"] for result in plain}
    assert urls["Phường Vân Hà"] == van_ha.get_absolute_url()
    assert urls["Phường Quảng Minh"] == quang_minh.get_absolute_url()
    urls = {result["name"]: result["url"] for result in for_feedback}
    assert urls["Phường Vân Hà"] == urls["Phường Quảng Minh"] == form
