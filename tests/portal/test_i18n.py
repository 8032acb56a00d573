"""Vietnamese first, English second; Vietnamese dates and numbers; pages that work on a closed network."""

import datetime
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import formats, timezone, translation
from django.views.defaults import server_error

CATALOGUES = sorted(Path(settings.BASE_DIR, "locale").glob("**/vi/LC_MESSAGES/django.po"))


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(settings.BASE_DIR)))
def test_every_vietnamese_message_is_translated(path):
    with path.open("rb") as po_file:
        catalogue = read_po(po_file)
    missing = [
        m.id
        for m in catalogue
        if m.id and (m.fuzzy or not all(m.string if isinstance(m.string, tuple) else [m.string]))
    ]
    assert missing == []


def test_home_page_speaks_vietnamese_by_default_and_english_under_en(client, db):
    vietnamese = client.get("/").content.decode()
    assert '<html lang="vi">' in vietnamese
    assert "Chính quyền thân thiện" in vietnamese
    english = client.get("/en/").content.decode()
    assert '<html lang="en">' in english
    assert "Friendly government" in english


def test_language_switch_moves_to_the_same_page_in_the_other_language(client, db):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/en/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"


def test_every_page_offers_the_language_switch_and_a_skip_link(client, db):
    for url, other in (("/", "en"), ("/en/", "vi"), ("/accounts/login/", "en"), ("/khong-co-trang-nay/", "en")):
        page = client.get(url).content.decode()
        assert f'hreflang="{other}"' in page, url
        assert 'href="#main"' in page, url
        assert '<main id="main"' in page, url


def test_dates_and_numbers_are_written_the_vietnamese_way():
    day = datetime.date(2024, 2, 9)
    with translation.override("vi"):
        assert formats.date_format(day, "SHORT_DATE_FORMAT") == "09/02/2024"
        assert formats.date_format(day) == "ngày 9 tháng 2 năm 2024"
        assert formats.number_format(1234567.5, decimal_pos=1, use_l10n=True, force_grouping=True) == "1.234.567,5"
    with translation.override("en"):
        assert formats.date_format(day) == "9 February 2024"


def test_times_are_shown_in_vietnam():
    moment = datetime.datetime(2026, 1, 1, 17, 30, tzinfo=datetime.UTC)
    assert timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") == "2026-01-02 00:30"


def test_not_found_page_exists_in_both_languages(client, db):
    vietnamese = client.get("/khong-co-trang-nay/")
    assert vietnamese.status_code == 404
    assert "Không tìm thấy" in vietnamese.content.decode() or "không tìm thấy" in vietnamese.content.decode()
    english = client.get("/en/no-such-page/")
    assert english.status_code == 404
    assert "We could not find this page" in english.content.decode()


def test_server_error_page_renders_without_a_database_in_both_languages():
    request = RequestFactory().get("/")
    with translation.override("vi"):
        vietnamese = server_error(request)
    with translation.override("en"):
        english = server_error(request)
    assert vietnamese.status_code == english.status_code == 500
    assert 'lang="vi"' in vietnamese.content.decode()
    assert "Something went wrong on our side" in english.content.decode()


EXTERNAL = re.compile(r"""(?:src|href|url\()\s*=?\s*["']?(?:https?:)?//""", re.IGNORECASE)


def test_no_template_or_stylesheet_loads_anything_from_another_server():
    files = [*Path(settings.BASE_DIR, "templates").rglob("*.html"), *Path(settings.BASE_DIR, "static").rglob("*.*")]
    offenders = [str(f) for f in files if f.suffix in {".html", ".css", ".js"} and EXTERNAL.search(f.read_text())]
    assert files
    assert offenders == []


def test_templates_print_ids_plainly_and_group_quantities_only_when_asked():
    # A grouped id breaks element ids and query strings (id="disclosure-1.303", ?edit=1.303).
    template = Template("{% load humanize %}{{ n }} {{ n|intcomma }}")
    with translation.override("vi"):
        assert template.render(Context({"n": 1303})) == "1303 1.303"
