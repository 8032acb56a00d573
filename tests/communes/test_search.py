"""The public commune search reads what people type: accents, "xã" and "UBND" optional, the district or
province after the name, a former name, a successor's or predecessor's name, the unit's code. Checked on
the real units (Bắc Giang before the 2025 reform, Bắc Ninh today: phường Vân Hà took phường Quảng Minh
over), with the suggestions the search box shows as one types."""

import datetime
import importlib
import re

import pytest
from django.urls import reverse
from django.utils.translation import gettext, ngettext
from pytest_django.asserts import assertContains

from communes import selectors
from communes.models import Commune, DivisionType
from communes.models.units import search_former_names
from tests.communes.factories import LEGACY_UNTIL, CommuneFactory, DistrictFactory

pytestmark = pytest.mark.django_db

SUGGESTION_KEYS = {
    "name",
    "type",
    "district",
    "province",
    "url",
    "ended",
    "successors_today",
    "formerly",
    "formed_from",
}


def search(query: str, **kwargs) -> list[Commune]:
    return selectors.commune_search(query=query, **kwargs).communes


def codes(communes) -> list[tuple[str, bool]]:
    """(code, in force) of each unit: codes are reused across the reform, so the pair names one row."""
    return [(commune.code, commune.is_current) for commune in communes]


def suggest(client, query: str, prefix: str = ""):
    return client.get(prefix + reverse("communes:commune_suggest"), {"q": query})


# --- Reading the query -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "quang minh",
        "xã quảng minh",
        "Xa Quang Minh",
        "phuong quang minh",
        "Phường Quảng Minh",
        "UBND xã Quảng Minh",
        "ubnd phuong quang minh",
        "Ủy ban nhân dân xã Quảng Minh",
        "Uỷ ban nhân dân phường Quảng Minh",
        "thị trấn Quảng Minh",
        "TT. Quảng Minh",
        "tx quang minh",
        "TP.Quảng Minh",
        "  xã   QUẢNG  minh, ",
    ],
)
def test_search_words_leave_out_the_unit_type_and_the_peoples_committee(query):
    assert selectors.search_words(query).words == ("quang", "minh")


@pytest.mark.parametrize(
    ("query", "words"),
    [
        # Hà Tĩnh's "Tĩnh" is not "tỉnh", and a plain "tinh" after a name is a name.
        ("Hà Tĩnh", ("ha", "tinh")),
        ("ha tinh", ("ha", "tinh")),
        ("tinh ha tinh", ("ha", "tinh")),
        ("tỉnh Bắc Giang", ("bac", "giang")),
        ("huyện Việt Yên", ("viet", "yen")),
        ("thị xã Việt Yên", ("viet", "yen")),
        ("thành phố Bắc Giang", ("bac", "giang")),
    ],
)
def test_search_words_keep_a_type_word_that_is_part_of_a_name(query, words):
    assert selectors.search_words(query).words == words


def test_a_plainly_typed_type_word_in_front_may_still_be_a_name_and_ranks_such_a_name_first():
    # "Quan Sơn" is a name; "quan" is also "quận". Both readings are kept: every unit with "sơn", and
    # a unit named "Quan Sơn" counts as equal to what was typed.
    words = selectors.search_words("quan son")

    assert words.words == ("son",)
    assert "quan son" in words.phrases


@pytest.mark.parametrize("query", ["", "   ", "xã", "tỉnh", "UBND", "😀", "\x00", "!!!", "ủy ban nhân dân"])
def test_search_words_of_a_query_without_a_name_are_none_and_find_nothing(query):
    assert selectors.search_words(query).words == ()
    assert search(query) == []


# --- Finding the real units --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    ["quang minh", "xã quảng minh", "phuong quang minh", "UBND xã Quảng Minh", "Ủy ban nhân dân phường Quảng Minh"],
)
def test_every_way_of_typing_phuong_quang_minh_finds_it_and_todays_ward_that_took_it_over_first(
    query, quang_minh, van_ha
):
    found = search(query)

    assert quang_minh in found
    assert van_ha in found
    # Units in force today first.
    assert found.index(van_ha) < found.index(quang_minh)
    assert [commune.is_current for commune in found] == sorted((commune.is_current for commune in found), reverse=True)


def test_the_district_after_the_name_narrows_the_search_to_quang_minh_in_viet_yen(quang_minh, van_ha):
    everywhere = search("quang minh")
    in_viet_yen = search("quang minh viet yen")

    # Hiệp Hòa's former xã Quang Minh (now xã Sơn Thịnh, then xã Hợp Thịnh) is found by the name alone...
    assert {"07843", "07864"} <= {commune.code for commune in everywhere}
    # ... and left out once the district is typed: phường Quảng Minh of thị xã Việt Yên, and today's ward
    # that took it over.
    assert in_viet_yen == [van_ha, quang_minh]
    assert [found.unit for found in in_viet_yen[0].search_formed_from] == [quang_minh]


def test_phuong_van_ha_finds_todays_ward_first_then_the_units_it_took_over(van_ha):
    found = search("Phường Vân Hà")

    assert found[0] == van_ha
    # The ended xã Vân Hà bears the very name, so it comes first among the ended units.
    assert (found[1].code, found[1].name, found[1].is_current) == ("07804", "Vân Hà", False)
    # A dissolved unit is found by its successor's name, and says where it went.
    assert {commune.name for commune in found[2:]} == {"Ninh Sơn", "Quảng Minh", "Tiên Sơn", "Trung Sơn"}
    assert all(commune.successors_today == [van_ha] for commune in found[1:])


def test_a_unit_code_finds_that_unit_only(quang_minh, van_ha):
    assert search("07792") == [quang_minh]
    # Code 07798 is phường Vân Hà today and was phường Ninh Sơn before the reform.
    assert codes(search("07798")) == [("07798", True), ("07798", False)]
    assert search("07798")[0] == van_ha


def test_a_former_name_finds_the_renamed_unit_and_todays_unit_formed_from_it(real_units):
    # Xã Lam Cốt merged and became xã Lam Sơn on 1 January 2025; Lam Sơn is part of xã Quang Trung today.
    today, lam_son = search("lam cot")

    assert (today.name, today.is_current) == ("Quang Trung", True)
    assert (lam_son.name, lam_son.is_current) == ("Lam Sơn", False)
    assert lam_son.search_formerly == ["xã Lam Cốt"]
    assert [(found.unit, found.formerly) for found in today.search_formed_from] == [(lam_son, ["xã Lam Cốt"])]


def test_an_unfinished_last_word_is_read_as_the_start_of_a_word(quang_minh):
    assert quang_minh in search("xã quảng m")
    # Words before the last are whole: "qua" is not the start of "Quảng" there.
    assert quang_minh not in search("qua minh")


def test_search_costs_three_queries_whatever_the_number_of_units_found(real_units, django_assert_num_queries):
    with django_assert_num_queries(3):
        few = selectors.commune_search(query="07792")
    with django_assert_num_queries(3):
        many = selectors.commune_search(query="bac giang")
    with django_assert_num_queries(1):
        none = selectors.commune_search(query="không có xã này")

    assert len(few.communes) == 1
    assert len(many.communes) == selectors.commune_search(query="x").limit
    assert many.has_more
    assert none.communes == []


# --- Ranking -----------------------------------------------------------------------------------------


def test_units_in_force_come_first_then_the_name_equal_to_the_words_before_names_holding_them():
    district = DistrictFactory(name="Minh Đức Nam")
    exact = CommuneFactory(name="Minh Đức")
    starts = CommuneFactory(name="Minh Đức Tây")
    holds = CommuneFactory(name="Tân Minh Đức")
    formerly = CommuneFactory(
        name="Hòa Bình", former_names=[{"division_type": "xã", "name": "Minh Đức", "valid_until": "2024-12-31"}]
    )
    ended_exact = CommuneFactory(legacy=True, name="Minh Đức", valid_until=datetime.date(2024, 12, 31))
    ended_exact.successors.add(exact)
    in_district = CommuneFactory(legacy=True, district=district, name="An Lạc")
    CommuneFactory(name="Minh Tân")  # "minh" alone: not found

    found = search("minh duc")

    assert found == [exact, formerly, starts, holds, ended_exact, in_district]


def test_units_of_equal_rank_follow_the_name_then_the_code():
    later = CommuneFactory(name="Đông Hưng", code="00003")
    first = CommuneFactory(name="Đông Hưng", code="00001")
    before = CommuneFactory(name="Đông Hưng", code="00002", valid_until=LEGACY_UNTIL)

    assert search("dong hung") == [first, later, before]


# --- The results page --------------------------------------------------------------------------------


def test_results_page_says_how_todays_ward_was_found_and_where_an_ended_unit_went(client, quang_minh, van_ha):
    response = client.get(reverse("communes:commune_search"), {"q": "xã quảng minh"})

    assert van_ha in response.context["result"].communes
    assertContains(
        response,
        f'<p class="result__found-as">{gettext("Formed from:")} <a href="{quang_minh.get_absolute_url()}">'
        f"phường Quảng Minh</a> (thị xã Việt Yên)</p>",
        html=True,
    )
    assertContains(
        response,
        f'<p class="result__successors">{gettext("Merged into")} '
        f'<a href="{van_ha.get_absolute_url()}">phường Vân Hà</a></p>',
        html=True,
    )


def test_results_page_names_the_former_name_a_predecessor_was_found_by(client, real_units):
    # Xã Quang Minh of huyện Hiệp Hòa was renamed xã Sơn Thịnh on 1 January 2025; xã Hợp Thịnh took it over.
    hop_thinh = Commune.objects.current().get(code="07864")
    son_thinh = Commune.objects.get(code="07843")

    response = client.get(reverse("communes:commune_search"), {"q": "quang minh"})
    suggestions = suggest(client, "quang minh").json()["results"]

    assert response.context["result"].communes[0] == hop_thinh
    formerly = gettext("formerly %(names)s") % {"names": "xã Quang Minh"}
    assertContains(
        response,
        f'<p class="result__found-as">{gettext("Formed from:")} <a href="{son_thinh.get_absolute_url()}">'
        f"xã Sơn Thịnh</a> (huyện Hiệp Hòa, {formerly})</p>",
        html=True,
    )
    assert suggestions[0]["formed_from"] == [f"xã Sơn Thịnh (huyện Hiệp Hòa, {formerly})"]
    assert suggestions[-1]["formerly"] == ["xã Quang Minh"]  # xã Sơn Thịnh itself, ended


@pytest.mark.parametrize("path", ["/", "/communes/"])
def test_search_box_submits_without_javascript_and_loads_its_script_deferred(client, db, path):
    html = client.get(path).content.decode()

    assert f'action="{reverse("communes:commune_search")}" role="search"' in html
    assert f'data-suggest-url="{reverse("communes:commune_suggest")}"' in html
    assert re.search(r'<script src="/static/js/commune-search(\.[0-9a-f]+)?\.js" defer></script>', html)
    assert re.search(r'<link rel="stylesheet" href="/static/css/search(\.[0-9a-f]+)?\.css">', html)


def test_search_page_costs_the_same_queries_for_one_result_as_for_fifty(client, real_units, django_assert_num_queries):
    with django_assert_num_queries(3):
        client.get(reverse("communes:commune_search"), {"q": "07792"})
    with django_assert_num_queries(3):
        response = client.get(reverse("communes:commune_search"), {"q": "bac giang"})
    assert len(response.context["result"].communes) == 50


# --- Suggestions as one types ------------------------------------------------------------------------


def test_suggestions_give_public_facts_of_each_unit_and_where_an_ended_one_went(client, quang_minh, van_ha):
    response = suggest(client, "xã quảng minh")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["query"] == "xã quảng minh"
    by_url = {result["url"]: result for result in body["results"]}
    assert all(set(result) == SUGGESTION_KEYS for result in body["results"])
    assert by_url[quang_minh.get_absolute_url()] == {
        "name": "Phường Quảng Minh",
        "type": quang_minh.get_division_type_display(),
        "district": "Thị xã Việt Yên",
        "province": "Tỉnh Bắc Giang",
        "url": quang_minh.get_absolute_url(),
        "ended": True,
        "successors_today": [{"name": "phường Vân Hà", "url": van_ha.get_absolute_url()}],
        "formerly": [],
        "formed_from": [],
    }
    today = by_url[van_ha.get_absolute_url()]
    assert (today["ended"], today["district"], today["province"]) == (False, None, "Tỉnh Bắc Ninh")
    assert today["formed_from"] == ["phường Quảng Minh (thị xã Việt Yên)"]
    assert body["results"][0]["ended"] is False
    count = len(body["results"])
    assert body["status"] == ngettext(
        "%(count)d commune matches. Use the up and down arrow keys to choose.",
        "%(count)d communes match. Use the up and down arrow keys to choose.",
        count,
    ) % {"count": count}


def test_suggestions_are_at_most_eight_and_say_there_are_more(client, real_units):
    body = suggest(client, "bac giang").json()

    assert len(body["results"]) == selectors.SUGGEST_LIMIT == 8
    assert body["more"] is True
    assert "8" in body["status"]


def test_suggestions_are_cached_by_the_browser_briefly_and_set_no_cookie(client, real_units):
    response = suggest(client, "van ha")

    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"public", "max-age=300"} <= cache_control
    assert not response.cookies


def test_suggestions_cost_the_same_queries_for_one_unit_as_for_eight(client, real_units, django_assert_num_queries):
    with django_assert_num_queries(3):
        one = suggest(client, "07792").json()
    with django_assert_num_queries(3):
        eight = suggest(client, "bac giang").json()

    assert (len(one["results"]), len(eight["results"])) == (1, 8)


@pytest.mark.parametrize(
    "query",
    ["", " ", "a", "x" * 500, "😀😀", "xã", "%_\\'\"<script>", "quảng" * 100, "07792" * 50, "\u200b\u0301ab"],
)
def test_suggestions_answer_any_odd_query_with_json(client, real_units, query):
    response = suggest(client, query)

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"query", "results", "more", "status"}
    assert len(body["query"]) <= 100


def test_a_nul_in_the_query_is_refused_as_on_every_page_not_a_server_error(client, real_units):
    # core.middleware.RejectNulMiddleware answers it before the view, with the portal's 400 page.
    assert suggest(client, "quang\x00minh").status_code == 400
    # The search itself copes with one all the same, on SQLite and PostgreSQL.
    assert Commune.objects.get(code="07792") in search("quang\x00minh")


def test_suggestions_under_en_are_in_english(client, van_ha):
    body = suggest(client, "van ha", prefix="/en").json()

    first = body["results"][0]
    assert (first["name"], first["type"]) == ("Phường Vân Hà", "ward")
    assert first["url"] == f"/en/communes/{van_ha.pk}/"
    assert body["status"].endswith("Use the up and down arrow keys to choose.")


def test_suggestions_answer_only_to_safe_methods(client, db):
    assert client.post(reverse("communes:commune_suggest"), {"q": "van ha"}).status_code == 405


# --- What the search reads is stored folded ----------------------------------------------------------


def test_saving_a_unit_stores_its_former_names_folded_for_search():
    unit = CommuneFactory(
        name="Quang Trung",
        former_names=[
            {"division_type": "xã", "name": "Lam Cốt", "valid_until": "2024-12-31"},
            {"division_type": "xã", "name": "Đắk R’Lấp", "valid_until": "2020-01-31"},
        ],
    )

    assert unit.search_former_names == " lam cot | dak r'lap |"
    assert search("r'lap") == [unit]


def test_the_migration_fills_the_former_names_as_a_save_does(real_units):
    migration = importlib.import_module("communes.migrations.0005_search_former_names")
    renamed = Commune.objects.exclude(former_names=[])

    assert renamed.count() > 40
    for unit in renamed:
        assert migration._former(unit.former_names) == search_former_names(unit.former_names)
        assert unit.search_former_names == search_former_names(unit.former_names)
    assert renamed.get(code="07333", valid_until=LEGACY_UNTIL).search_former_names == " lam cot |"


def test_a_ward_is_named_with_its_own_type_in_the_suggestions(client, db):
    ward = CommuneFactory(name="Tự Lạn", division_type=DivisionType.WARD)

    (result,) = suggest(client, "tu lan").json()["results"]

    assert result["type"] == ward.get_division_type_display() == "phường"
