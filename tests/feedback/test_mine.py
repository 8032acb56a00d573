"""A signed-in citizen's own feedback: only theirs, with where each stands and the commune's answer."""

import pytest
from django.urls import reverse

from feedback.models import Feedback, Status
from feedback.services import feedback_accept, feedback_resolve
from tests.communes.factories import CommuneFactory
from tests.feedback.factories import CategoryFactory, submitted
from tests.portal.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = reverse("feedback:mine")


@pytest.fixture
def commune():
    return CommuneFactory(legacy=True)


@pytest.fixture
def category(commune):
    return CategoryFactory(province=commune.province)


def test_the_page_asks_an_anonymous_visitor_to_sign_in(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_a_citizen_sees_their_own_items_with_the_answer_and_never_another_persons(client, commune, category):
    citizen, neighbour = UserFactory(), UserFactory()
    mine = submitted(commune=commune, category=category, submitter=citizen, title="Ổ gà trước chợ")
    answered = submitted(commune=commune, category=category, submitter=citizen, title="Rác ở bờ kênh")
    theirs = submitted(commune=commune, category=category, submitter=neighbour, title="Cống bị tắc")
    anonymous = submitted(commune=commune, category=category, title="Đèn đường hỏng")
    officer = UserFactory()  # the services record who acted; the permission is the views' concern
    feedback_accept(feedback=answered, by=officer)
    feedback_resolve(feedback=answered, by=officer, answer="Đã thu gom rác ngày 05/12.")
    client.force_login(citizen)

    response = client.get(URL)

    page = response.content.decode()
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    assert mine.code in page and answered.code in page
    assert theirs.code not in page and anonymous.code not in page
    assert "Đã thu gom rác ngày 05/12." in page
    assert reverse("feedback:track", kwargs={"code": mine.code}) in page
    assert Feedback.objects.get(pk=answered.pk).status == Status.RESOLVED


def test_the_page_costs_the_same_queries_for_one_item_as_for_twenty(
    client, commune, category, django_assert_max_num_queries
):
    citizen = UserFactory()
    client.force_login(citizen)
    submitted(commune=commune, category=category, submitter=citizen)
    with django_assert_max_num_queries(99) as one:
        client.get(URL)
    for _ in range(19):
        submitted(commune=commune, category=category, submitter=citizen)

    with django_assert_max_num_queries(len(one.captured_queries)) as twenty:
        response = client.get(URL)

    assert response.content.decode().count('class="panel my-feedback__item"') == 20
    assert len(twenty.captured_queries) == len(one.captured_queries)


def test_the_header_leads_a_signed_in_citizen_to_their_feedback(client, commune):
    client.force_login(UserFactory())

    page = client.get(reverse("portal:home")).content.decode()

    assert f'href="{URL}"' in page
