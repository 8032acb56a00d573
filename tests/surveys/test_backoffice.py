"""The staff pages of surveys: DoHA prepares, opens and closes campaigns, reviews flagged responses,
redacts comments and exports; the commune's officers read their results and redacted comments, print
visit codes and keep their kiosks."""

from __future__ import annotations

import csv
import datetime
import io
import re
import uuid

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext as _

from accounts.models import Role
from core import clock
from surveys.forms.staff import ENDS_BEFORE_START, NO_COMMUNES, NO_REASON, RedactForm
from surveys.models import Campaign, Channel, CodeBatch, Flag, Kiosk, Response, Tally, VisitCode
from surveys.services import (
    campaign_close,
    comment_redact,
    response_by_code,
    response_by_kiosk,
    response_by_link,
    statistics_refresh,
)
from surveys.views import backoffice
from tests.communes.factories import CommuneFactory, DistrictFactory, ProvinceFactory
from tests.portal.factories import user_with_role
from tests.surveys.factories import (
    answers,
    code_batch,
    codes,
    kiosk,
    open_campaign,
    questionnaire,
    straight_answers,
)

pytestmark = pytest.mark.django_db

SITE = "https://hailong.example.vn"
ORIGINAL = "Cô Nguyễn Thị Hoa, 0912 345 678, thôn Đông: cán bộ hướng dẫn rất tận tình"
REDACTED = "Cán bộ hướng dẫn rất tận tình"


def page_of(response) -> str:
    return response.content.decode()


@pytest.fixture
def province():
    return ProvinceFactory()


@pytest.fixture
def commune(province):
    return CommuneFactory(province=province)


@pytest.fixture
def doha(client, province):
    user = user_with_role(Role.DOHA_STAFF, province)
    client.force_login(user)
    return user


@pytest.fixture
def officer(commune):
    return user_with_role(Role.COMMUNE_OFFICER, commune)


@pytest.fixture
def campaign(commune):
    return open_campaign(commune, min_responses=1)


def campaign_data(commune_ids, **overrides) -> dict:
    today = clock.today()
    data = {
        "name": "Khảo sát một cửa 2027",
        "questionnaire": questionnaire().pk,
        "starts_on": today.isoformat(),
        "ends_on": (today + datetime.timedelta(days=90)).isoformat(),
        "min_responses": 30,
        "communes": [str(pk) for pk in commune_ids],
    }
    data.update(overrides)
    return data


def link_answer(campaign, commune, **raw):
    return response_by_link(campaign=campaign, commune=commune, device_cookie=uuid.uuid4().hex, raw=answers(**raw))


# --- Campaigns ----------------------------------------------------------------------------------


def test_doha_prepares_a_campaign_as_a_draft_for_chosen_communes(client, doha, province, commune):
    CommuneFactory(province=province)  # not chosen

    response = client.post(reverse("surveys:campaigns", kwargs={"pk": province.pk}), campaign_data([commune.pk]))

    campaign = Campaign.objects.get()
    assert response.status_code == 302
    assert response.headers["Location"] == reverse("surveys:campaign", kwargs={"pk": campaign.pk})
    assert campaign.status == Campaign.Status.DRAFT
    assert campaign.province == province
    assert campaign.created_by == doha
    assert list(campaign.communes.all()) == [commune]


def test_all_communes_of_the_province_in_one_tick(client, doha, province, commune):
    other = CommuneFactory(province=province)
    CommuneFactory()  # another province's

    client.post(reverse("surveys:campaigns", kwargs={"pk": province.pk}), campaign_data([], all_communes="on"))

    assert set(Campaign.objects.get().communes.all()) == {commune, other}


def test_a_period_that_ends_before_it_starts_is_refused_and_the_form_keeps_the_input(client, doha, province, commune):
    today = clock.today()
    data = campaign_data([commune.pk], ends_on=(today - datetime.timedelta(days=1)).isoformat())

    response = client.post(reverse("surveys:campaigns", kwargs={"pk": province.pk}), data)

    page = page_of(response)
    assert response.status_code == 200
    assert escape(_(ENDS_BEFORE_START)) in page
    assert 'value="Khảo sát một cửa 2027"' in page
    assert re.search(rf'value="{commune.pk}"[^>]*checked', page)
    assert not Campaign.objects.exists()


def test_a_campaign_needs_communes(client, doha, province, commune):
    response = client.post(reverse("surveys:campaigns", kwargs={"pk": province.pk}), campaign_data([]))

    assert response.status_code == 200
    assert escape(_(NO_COMMUNES)) in page_of(response)
    assert not Campaign.objects.exists()


def test_a_province_that_ended_offers_its_last_communes_by_district(client):
    old = ProvinceFactory(valid_until=datetime.date(2025, 6, 30))
    district = DistrictFactory(province=old)
    last = CommuneFactory(legacy=True, district=district, province=old)
    merged_earlier = CommuneFactory(
        district=district, province=old, valid_until=datetime.date(2019, 12, 31), name="Xã đã sáp nhập"
    )
    client.force_login(user_with_role(Role.DOHA_STAFF, old))

    page = page_of(client.get(reverse("surveys:campaigns", kwargs={"pk": old.pk})))

    assert str(district) in page
    assert f'value="{last.pk}"' in page
    assert f'value="{merged_earlier.pk}"' not in page


def test_the_province_lists_its_campaigns_with_communes_and_responses(client, doha, province, commune, campaign):
    link_answer(campaign, commune)
    link_answer(campaign, commune)

    page = page_of(client.get(reverse("surveys:campaigns", kwargs={"pk": province.pk})))

    row = re.search(r"<tr>\s*<th scope=\"row\"><a href=\"[^\"]+\">Khảo sát thử</a>.*?</tr>", page, re.S).group(0)
    assert re.findall(r'<td class="number">(\d+)</td>', row) == ["1", "2"]
    assert str(campaign.questionnaire.title) in row


def test_the_campaign_list_costs_the_same_queries_for_one_campaign_as_for_five(client, doha, province, commune):
    open_campaign(commune)
    url = reverse("surveys:campaigns", kwargs={"pk": province.pk})
    client.get(url)  # the session and the questionnaire structure, once
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for number in range(4):
        link_answer(open_campaign(commune, name=f"Đợt {number}", communes=[CommuneFactory(province=province)]), commune)
    with CaptureQueriesContext(connection) as five:
        response = client.get(url)

    assert response.context["campaigns"].count() == 5
    assert len(five) == len(one)


def test_a_draft_can_be_changed_and_an_open_campaign_cannot(client, doha, province, commune):
    client.post(reverse("surveys:campaigns", kwargs={"pk": province.pk}), campaign_data([commune.pk]))
    draft = Campaign.objects.get()
    url = reverse("surveys:campaign", kwargs={"pk": draft.pk})

    client.post(url, campaign_data([commune.pk], name="Khảo sát đã sửa", min_responses=20))
    draft.refresh_from_db()
    client.post(reverse("surveys:campaign_act", kwargs={"pk": draft.pk, "action": "open"}))
    refused = client.post(url, campaign_data([commune.pk], name="Không được sửa"), follow=True)

    draft.refresh_from_db()
    assert draft.name == "Khảo sát đã sửa"
    assert draft.min_responses == 20
    assert draft.status == Campaign.Status.OPEN
    assert escape(_("Only a draft campaign can be changed.")) in page_of(refused)


def test_doha_opens_and_closes_a_campaign_and_a_double_click_does_no_harm(client, doha, province, commune):
    client.post(reverse("surveys:campaigns", kwargs={"pk": province.pk}), campaign_data([commune.pk]))
    campaign = Campaign.objects.get()
    open_url = reverse("surveys:campaign_act", kwargs={"pk": campaign.pk, "action": "open"})

    first = client.post(open_url)
    campaign.refresh_from_db()
    opened_at = campaign.opened_at
    second = client.post(open_url, follow=True)
    campaign.refresh_from_db()

    assert first.status_code == 302
    assert second.status_code == 200
    assert campaign.status == Campaign.Status.OPEN
    assert campaign.opened_at == opened_at
    assert not any(message.level_tag == "error" for message in second.context["messages"])

    client.post(reverse("surveys:campaign_act", kwargs={"pk": campaign.pk, "action": "close"}))
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.CLOSED


def test_a_campaign_whose_period_has_passed_cannot_be_opened(client, doha, province, commune):
    yesterday = clock.today() - datetime.timedelta(days=1)
    campaign = Campaign.objects.create(
        province=province,
        name="Đợt cũ",
        questionnaire=questionnaire(),
        starts_on=yesterday - datetime.timedelta(days=30),
        ends_on=yesterday,
    )
    campaign.communes.add(commune)

    response = client.post(reverse("surveys:campaign_act", kwargs={"pk": campaign.pk, "action": "open"}), follow=True)

    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.DRAFT
    assert escape(_("The campaign's last day has passed; change its period before opening it.")) in page_of(response)


def test_the_campaign_s_actions_take_only_a_post(client, doha, campaign):
    url = reverse("surveys:campaign_act", kwargs={"pk": campaign.pk, "action": "close"})

    assert client.get(url).status_code == 405
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.OPEN


def test_refreshing_brings_the_table_up_to_date(client, doha, commune, campaign):
    url = reverse("surveys:campaign", kwargs={"pk": campaign.pk})
    batch = code_batch(campaign, commune, 2)
    for code in codes(batch):
        response_by_code(code=code, raw=answers(5))
    link_answer(campaign, commune, overall=2)

    before = client.get(url).context["rows"][0][1]
    client.post(reverse("surveys:campaign_act", kwargs={"pk": campaign.pk, "action": "refresh"}))
    response = client.get(url)
    after = response.context["rows"][0][1]

    assert (before.responses, before.link_responses) == (0, 0)
    assert (after.responses, after.link_responses) == (2, 1)
    assert after.overall.percent == 100
    campaign.refresh_from_db()
    assert campaign.statistics_at is not None
    assert "100%" in page_of(response)


def test_a_figure_below_the_minimum_says_not_enough_answers(client, doha, commune):
    campaign = open_campaign(commune, min_responses=5)
    link_answer(campaign, commune)
    response_by_code(code=codes(code_batch(campaign, commune, 1))[0], raw=answers())
    statistics_refresh(campaign=campaign)

    page = page_of(client.get(reverse("surveys:campaign", kwargs={"pk": campaign.pk})))

    assert escape(_("not enough answers")) in page


def test_the_campaign_page_costs_the_same_queries_for_one_commune_as_for_twenty(client, doha, province, commune):
    small = open_campaign(commune)
    large = open_campaign(commune, communes=[CommuneFactory(province=province) for _index in range(19)])
    for item in (small, large):
        link_answer(item, commune)
        statistics_refresh(campaign=item)
    client.get(reverse("surveys:campaign", kwargs={"pk": small.pk}))  # the session and the structure, once

    with CaptureQueriesContext(connection) as one:
        client.get(reverse("surveys:campaign", kwargs={"pk": small.pk}))
    with CaptureQueriesContext(connection) as twenty:
        response = client.get(reverse("surveys:campaign", kwargs={"pk": large.pk}))

    assert len(response.context["rows"]) == 20
    assert len(twenty) == len(one)


# --- Quality review -----------------------------------------------------------------------------


@pytest.fixture
def flagged(campaign, commune):
    """Two straight-lined answers (flagged) and an ordinary one."""
    straight = [
        response_by_link(campaign=campaign, commune=commune, device_cookie=f"d{n}", raw=straight_answers())
        for n in range(2)
    ]
    ordinary = link_answer(campaign, commune)
    return straight, ordinary


def test_the_review_lists_flagged_responses_only_with_their_signals(client, doha, campaign, flagged):
    straight, ordinary = flagged

    response = client.get(reverse("surveys:review", kwargs={"pk": campaign.pk}))

    shown = [row.pk for row in response.context["page"].object_list]
    assert sorted(shown) == sorted(item.pk for item in straight)
    assert ordinary.pk not in shown
    assert escape(str(Flag.STRAIGHT.label).capitalize()[:20]) in page_of(response)


def test_the_review_filters_by_signal_and_commune(client, doha, province, campaign, flagged):
    other = CommuneFactory(province=province)
    campaign.communes.add(other)
    elsewhere = response_by_link(campaign=campaign, commune=other, device_cookie="x", raw=straight_answers())
    url = reverse("surveys:review", kwargs={"pk": campaign.pk})

    by_commune = client.get(url, {"commune": other.pk}).context["page"].object_list
    by_flag = client.get(url, {"flag": Flag.BURST}).context["page"].object_list

    assert [row.pk for row in by_commune] == [elsewhere.pk]
    assert list(by_flag) == []


def test_excluding_needs_a_written_reason(client, doha, campaign, flagged):
    straight, _ordinary = flagged

    response = client.post(
        reverse("surveys:review", kwargs={"pk": campaign.pk}), {"action": "exclude", "ids": [straight[0].pk]}
    )

    assert response.status_code == 200
    assert escape(_(NO_REASON)) in page_of(response)
    assert not Response.objects.filter(excluded=True).exists()


def test_doha_excludes_only_flagged_responses_and_they_leave_the_statistics(client, doha, commune, campaign, flagged):
    straight, ordinary = flagged
    url = reverse("surveys:review", kwargs={"pk": campaign.pk})

    response = client.post(
        url, {"action": "exclude", "ids": [straight[0].pk, ordinary.pk], "reason": "Chọn cùng một mức cho mọi câu"}
    )
    client.post(reverse("surveys:campaign_act", kwargs={"pk": campaign.pk, "action": "refresh"}))

    assert response.status_code == 302
    assert list(Response.objects.filter(excluded=True).values_list("pk", flat=True)) == [straight[0].pk]
    assert Response.objects.get(pk=straight[0].pk).exclusion_reason == "Chọn cùng một mức cho mọi câu"
    assert Response.objects.count() == 3  # nothing is deleted
    detail = client.get(reverse("surveys:campaign", kwargs={"pk": campaign.pk}))
    assert detail.context["rows"][0][1].link_responses == 2


def test_an_excluded_response_can_count_again(client, doha, commune, campaign, flagged):
    straight, _ordinary = flagged
    url = reverse("surveys:review", kwargs={"pk": campaign.pk})
    client.post(url, {"action": "exclude", "ids": [straight[0].pk], "reason": "Nghi trùng"})

    client.post(url, {"action": "include", "ids": [straight[0].pk]})
    statistics_refresh(campaign=campaign)

    included = Response.objects.get(pk=straight[0].pk)
    assert not included.excluded
    assert included.exclusion_reason == ""
    assert sum(t.responses for t in Tally.objects.filter(campaign=campaign, slot=0, channel=Channel.LINK)) == 3


def test_the_review_never_shows_what_made_a_response_unique(client, doha, commune, campaign):
    tablet = kiosk(commune)
    client_id = uuid.uuid4()
    response_by_kiosk(kiosk=tablet, campaign=campaign, client_id=client_id, raw=straight_answers())
    link = response_by_link(campaign=campaign, commune=commune, device_cookie="my-phone", raw=straight_answers())

    page = page_of(client.get(reverse("surveys:review", kwargs={"pk": campaign.pk})))

    assert str(client_id) not in page
    assert link.device not in page
    assert tablet.token not in page


# --- Comments -----------------------------------------------------------------------------------


@pytest.fixture
def commented(campaign, commune):
    return response_by_code(code=codes(code_batch(campaign, commune, 1))[0], raw=answers(OPEN=ORIGINAL))


def test_doha_reads_the_comment_as_written_prefilled_for_redaction(client, doha, campaign, commented):
    page = page_of(client.get(reverse("surveys:comments", kwargs={"pk": campaign.pk})))

    assert page.count(escape(ORIGINAL)) == 2  # the original, and the text to redact
    assert escape(str(RedactForm.base_fields["text"].help_text)) in page


def test_the_commune_reads_only_the_redacted_comment(client, doha, officer, commune, campaign, commented):
    officer_page = reverse("surveys:commune_surveys", kwargs={"pk": commune.pk})
    client.force_login(officer)
    before = page_of(client.get(officer_page))
    client.force_login(doha)

    response = client.post(
        reverse("surveys:comments", kwargs={"pk": campaign.pk}), {"response": commented.pk, "text": REDACTED}
    )
    client.force_login(officer)
    after = page_of(client.get(officer_page))

    assert response.status_code == 302
    assert ORIGINAL not in before and escape(ORIGINAL) not in before
    assert REDACTED not in before
    assert escape(REDACTED) in after
    assert "0912" not in after
    assert escape(ORIGINAL) not in after


def test_comments_filter_reviewed_and_unreviewed(client, doha, commune, campaign, commented):
    other = response_by_code(code=codes(code_batch(campaign, commune, 1))[0], raw=answers(OPEN="Chờ lâu"))
    comment_redact(response=commented, text=REDACTED, by=doha)
    url = reverse("surveys:comments", kwargs={"pk": campaign.pk})

    unreviewed = client.get(url, {"reviewed": "no"}).context["page"].object_list
    reviewed = client.get(url, {"reviewed": "yes"}).context["page"].object_list

    assert [item.pk for item in unreviewed] == [other.pk]
    assert [item.pk for item in reviewed] == [commented.pk]


def test_an_empty_redaction_keeps_the_comment_from_the_commune(client, doha, officer, commune, campaign, commented):
    client.post(reverse("surveys:comments", kwargs={"pk": campaign.pk}), {"response": commented.pk, "text": ""})
    client.force_login(officer)

    response = client.get(reverse("surveys:commune_surveys", kwargs={"pk": commune.pk}))

    commented.refresh_from_db()
    assert commented.comment_reviewed
    assert list(response.context["comments_page"].object_list) == []


def test_a_comment_of_another_campaign_is_not_found_here(client, doha, province, commune, campaign, commented):
    other = open_campaign(commune)

    response = client.post(
        reverse("surveys:comments", kwargs={"pk": other.pk}), {"response": commented.pk, "text": REDACTED}
    )

    assert response.status_code == 404


# --- Exports ------------------------------------------------------------------------------------


@pytest.fixture
def answered(campaign, commune, commented):
    tablet = kiosk(commune)
    response_by_kiosk(kiosk=tablet, campaign=campaign, client_id=uuid.uuid4(), raw=answers(3))
    link_answer(campaign, commune, overall=5)
    statistics_refresh(campaign=campaign)
    return tablet


def export(client, campaign, what, fmt):
    return client.get(reverse("surveys:export", kwargs={"pk": campaign.pk, "what": what, "fmt": fmt}))


def test_the_responses_export_to_excel_with_one_column_per_question(client, doha, commune, campaign, answered):
    response = export(client, campaign, "responses", "xlsx")

    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert f"survey-{campaign.pk}-responses-" in response["Content-Disposition"]
    assert len(rows) == 4
    assert {"F1.1", "OVERALL", "EXP1", "P1"} <= set(header)
    assert _("Comment") in header
    overall = header.index("OVERALL")
    assert sorted(row[overall] for row in rows[1:]) == [3, 4, 5]
    # Choices are written as the questionnaire's Vietnamese labels, not as their codes.
    improve = "Rút ngắn thời gian giải quyết;Mở rộng dịch vụ công trực tuyến, thanh toán trực tuyến"
    assert any(row[header.index("EXP1")] == improve for row in rows[1:])
    assert any(row[header.index(_("Comment"))] == ORIGINAL for row in rows[1:])
    assert {row[header.index(_("Excluded"))] for row in rows[1:]} == {"Không"}


def test_the_excel_export_carries_a_codebook_of_questions_and_answers(client, doha, campaign, answered):
    workbook = openpyxl.load_workbook(io.BytesIO(export(client, campaign, "responses", "xlsx").content))

    assert workbook.sheetnames == ["Phiếu trả lời", "Bảng mã"]
    rows = list(workbook["Bảng mã"].iter_rows(values_only=True))
    header = rows[0]
    assert header[:3] == ("Mã câu hỏi", "Câu hỏi (tiếng Việt)", "Câu hỏi (tiếng Anh)")
    by_code = {}
    for row in rows[1:]:
        by_code.setdefault(row[0], []).append(row)
    seats = by_code["F1.1"]
    assert seats[0][1] == "Nơi ngồi chờ tại Bộ phận Một cửa có đủ chỗ ngồi"
    assert seats[0][4] == "F1"
    # A scale question: its codes are numbers, each with its Vietnamese label.
    assert [(row[6], row[7]) for row in seats][:2] == [(5, "Hoàn toàn đồng ý"), (4, "Đồng ý")]
    assert ("online", "Mở rộng dịch vụ công trực tuyến, thanh toán trực tuyến") in [
        (row[6], row[7]) for row in by_code["EXP1"]
    ]
    # Every question column of the data sheet is explained in the codebook.
    data_header = next(workbook["Phiếu trả lời"].iter_rows(values_only=True))
    assert {"F1.1", "OVERALL", "EXP1", "P1"} <= set(by_code) & set(data_header)


def test_the_statistics_workbook_carries_the_codebook_too(client, doha, campaign, answered):
    workbook = openpyxl.load_workbook(io.BytesIO(export(client, campaign, "statistics", "xlsx").content))

    assert workbook.sheetnames == ["Thống kê", "Bảng mã"]


def test_the_responses_export_carries_nothing_that_made_a_response_unique(client, doha, campaign, answered):
    text = b"".join(export(client, campaign, "responses", "csv").streaming_content).decode("utf-8-sig")

    stored = Response.objects.filter(campaign=campaign)
    for response in stored:
        assert response.device == "" or response.device not in text
        assert response.client_id is None or str(response.client_id) not in text
    assert answered.token not in text
    for code in VisitCode.objects.values_list("code", flat=True):
        assert code not in text


def test_the_responses_export_to_csv_has_a_header_and_a_row_per_response(client, doha, campaign, answered):
    response = export(client, campaign, "responses", "csv")

    text = b"".join(response.streaming_content).decode("utf-8")
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert text.startswith("\ufeff")
    assert rows[0][:5] == [_("Response"), _("Commune code"), _("Commune"), _("Channel"), _("Day")]
    assert len(rows) == 4
    assert sorted(row[3] for row in rows[1:]) == sorted(str(label) for label in Channel.labels)


def test_text_a_spreadsheet_would_run_as_a_formula_stays_text(client, doha, commune, campaign):
    formula = '=HYPERLINK("http://example.com","Xem")'
    response_by_code(code=codes(code_batch(campaign, commune, 1))[0], raw=answers(OPEN=formula))

    sheet = openpyxl.load_workbook(io.BytesIO(export(client, campaign, "responses", "xlsx").content)).active
    text = b"".join(export(client, campaign, "responses", "csv").streaming_content).decode("utf-8-sig")

    header, row = list(sheet.iter_rows(values_only=True))
    assert row[header.index(_("Comment"))] == "'" + formula
    assert isinstance(row[header.index(_("Day"))], datetime.datetime)
    assert next(csv.reader(io.StringIO(text.splitlines()[1])))[header.index(_("Comment"))] == "'" + formula


def test_too_many_responses_for_one_workbook_are_sent_to_the_csv(client, doha, monkeypatch, commune, campaign):
    monkeypatch.setattr(backoffice, "XLSX_MAX_ROWS", 1)
    link_answer(campaign, commune)
    link_answer(campaign, commune)

    response = export(client, campaign, "responses", "xlsx")

    assert response.status_code == 302
    assert response.headers["Location"] == reverse("surveys:campaign", kwargs={"pk": campaign.pk})
    assert export(client, campaign, "responses", "csv").status_code == 200


def test_the_statistics_export_from_the_stored_figures(client, doha, commune, campaign, answered):
    sheet = openpyxl.load_workbook(io.BytesIO(export(client, campaign, "statistics", "xlsx").content)).active
    rows = list(sheet.iter_rows(values_only=True))
    text = b"".join(export(client, campaign, "statistics", "csv").streaming_content).decode("utf-8-sig")

    header = rows[0]
    overall = [row for row in rows[1:] if row[header.index(_("Factor code"))] == "OVERALL"]
    assert len(rows) == 1 + 2 * 6  # one commune × (verified, link) × 6 figures
    assert sorted(row[header.index(_("Answers (n)"))] for row in overall) == [1, 2]
    assert next(csv.reader(io.StringIO(text))) == [str(cell) for cell in header]


# --- The commune's page: results, codes and kiosks ----------------------------------------------


def test_the_officer_sees_results_with_the_open_link_apart(client, officer, commune, campaign, answered):
    client.force_login(officer)

    response = client.get(reverse("surveys:commune_surveys", kwargs={"pk": commune.pk}))

    _campaign, result, pairs = response.context["results"][0]
    assert (result.responses, result.link_responses) == (2, 1)
    assert len(pairs) == 6
    assert escape(ORIGINAL) not in page_of(response)


def test_the_officer_prints_a_batch_of_unique_codes_with_qr_codes(client, settings, officer, commune, campaign):
    settings.SITE_URL = SITE
    client.force_login(officer)

    response = client.post(
        reverse("surveys:commune_surveys", kwargs={"pk": commune.pk}),
        {"action": "codes", "day": clock.today().isoformat(), "size": 10},
    )
    batch = CodeBatch.objects.get()
    slips = client.get(response.headers["Location"])

    page = page_of(slips)
    made = codes(batch)
    assert response.headers["Location"] == reverse("surveys:codes_print", kwargs={"pk": batch.pk})
    assert len(made) == len(set(made)) == 10
    assert page.count('class="slip"') == 10
    assert page.count("<svg") == 10
    assert page.count('class="slips__page"') == 2
    for code in made:
        assert f"{code[:4]}-{code[4:]}" in page
        assert f"{SITE}/survey/{code}/" in page
    assert f"{SITE}/survey/" in page
    assert f'nonce="{slips.context["csp_nonce"]}"' in page


def test_a_used_code_is_marked_on_its_slip(client, officer, commune, campaign):
    batch = code_batch(campaign, commune, 2)
    response_by_code(code=codes(batch)[0], raw=answers())
    client.force_login(officer)

    slips = client.get(reverse("surveys:codes_print", kwargs={"pk": batch.pk})).context["slips"]

    assert [slip["used"] for slip in slips] == [True, False]


def test_the_batch_list_counts_used_and_unused_codes(client, officer, commune, campaign):
    batch = code_batch(campaign, commune, 3)
    response_by_code(code=codes(batch)[0], raw=answers())
    client.force_login(officer)

    batches = client.get(reverse("surveys:commune_surveys", kwargs={"pk": commune.pk})).context["batches"]

    assert [(item.size, item.used, item.unused) for item in batches] == [(3, 1, 2)]


def test_without_an_open_campaign_no_codes_are_made(client, officer, commune, campaign):
    campaign_close(campaign=campaign, by=officer)
    client.force_login(officer)

    response = client.post(
        reverse("surveys:commune_surveys", kwargs={"pk": commune.pk}),
        {"action": "codes", "day": clock.today().isoformat(), "size": 10},
    )

    assert response.status_code == 200
    assert not CodeBatch.objects.exists()
    assert escape(_("No open survey covers the commune today.")) in page_of(response)


def test_a_batch_is_at_most_two_hundred_codes(client, officer, commune, campaign):
    client.force_login(officer)

    response = client.post(
        reverse("surveys:commune_surveys", kwargs={"pk": commune.pk}),
        {"action": "codes", "day": clock.today().isoformat(), "size": 201},
    )

    assert response.status_code == 200
    assert response.context["codes_form"].errors["size"]
    assert not CodeBatch.objects.exists()


def test_the_officer_registers_and_retires_a_kiosk(client, officer, commune, campaign):
    client.force_login(officer)
    url = reverse("surveys:commune_surveys", kwargs={"pk": commune.pk})

    registered = client.post(url, {"action": "kiosk", "name": "Bàn trả kết quả"})
    tablet = Kiosk.objects.get()
    listed = page_of(client.get(url))
    retired = client.post(reverse("surveys:kiosk_retire", kwargs={"pk": tablet.pk}))

    tablet.refresh_from_db()
    assert registered.status_code == 302
    assert tablet.commune == commune
    assert tablet.registered_by == officer
    assert reverse("surveys:kiosk", kwargs={"pk": tablet.pk}) in listed
    assert retired.status_code == 302
    assert retired.headers["Location"] == url
    assert not tablet.active
    assert reverse("surveys:kiosk", kwargs={"pk": tablet.pk}) not in page_of(client.get(url))


def test_a_kiosk_needs_a_name(client, officer, commune):
    client.force_login(officer)

    response = client.post(reverse("surveys:commune_surveys", kwargs={"pk": commune.pk}), {"action": "kiosk"})

    assert response.status_code == 200
    assert response.context["kiosk_form"].errors["name"]
    assert not Kiosk.objects.exists()
