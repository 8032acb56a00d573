"""A NUL character anywhere a client writes (path, query, form) is a 400 with the portal's page."""

import pytest
from django.template.loader import get_template

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/feedback/%00/", "/en/feedback/AB%00CD/", "/?q=%00", "/?%00=1"])
def test_a_nul_in_the_address_is_a_bad_request_with_the_portal_s_page(client, path):
    response = client.get(path)

    assert response.status_code == 400
    assert [template.name for template in response.templates][:2] == ["400.html", "base.html"]
    assert 'class="error-page__code">400<' in response.content.decode()


def test_a_nul_in_a_form_field_is_a_bad_request(client):
    response = client.post("/", {"comment": "Tốt\x00lắm"})

    assert response.status_code == 400


def test_a_request_without_nul_goes_through(client):
    assert client.get("/?q=binh thuong").status_code == 200


def test_the_400_page_renders_without_a_request_as_django_s_own_handler_does():
    assert "400" in get_template("400.html").render()
