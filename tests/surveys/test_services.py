"""Survey services: loading and freezing questionnaires, reading answers, one response per visit code,
kiosk answer and device whatever the timing, and the quality signals DoHA reviews."""

import datetime
import threading
import time
import uuid

import pytest
from django.db import connection, models
from django.utils.translation import gettext as _

from core import clock
from surveys.models import (
    CODE_VALID_DAYS,
    COMMENT_MAX,
    Factor,
    Flag,
    FrozenQuestionnaire,
    Question,
    Questionnaire,
    Response,
    VisitCode,
)
from surveys.selectors import tallies_compute
from surveys.services import (
    AlreadyReceived,
    Conflict,
    SurveyError,
    campaign_close,
    identical_flag,
    kiosk_retire,
    questionnaire_revise,
    questionnaires_load,
    response_by_code,
    response_by_kiosk,
    response_by_link,
    responses_exclude,
    responses_include,
)
from surveys.services import responses as responses_module
from surveys.services.responses import answers_clean, scores_of
from tests.communes.factories import CommuneFactory
from tests.conftest import require
from tests.surveys.factories import (
    PKS07,
    answers,
    code_batch,
    codes,
    kiosk,
    open_campaign,
    questionnaire,
    site_admin,
    straight_answers,
)

pytestmark = pytest.mark.django_db


def message(text, **values) -> str:
    return text % values if values else str(text)


def question(version: Questionnaire, code: str) -> Question:
    return version.questions.get(code=code)


@pytest.fixture
def commune():
    return CommuneFactory()


@pytest.fixture
def campaign(commune):
    return open_campaign(commune)


# --- Questionnaires -------------------------------------------------------------------------------


def test_questionnaires_load_creates_each_version_once():
    assert questionnaires_load() == (3, 0)
    assert questionnaires_load() == (0, 3)
    assert Questionnaire.objects.count() == 3


def test_the_fixture_questionnaires_have_their_factors_items_and_both_languages():
    motcua, pks07 = questionnaire(), questionnaire(PKS07)
    assert sorted(motcua.factors.values_list("slot", flat=True)) == [0, 1, 2, 3, 4, 5]
    assert motcua.questions.count() == 36
    assert sorted(pks07.factors.values_list("slot", flat=True)) == [0, 1, 2, 3, 4, 5, 6]
    assert motcua.factors.get(slot=0).code == pks07.factors.get(slot=0).code == "OVERALL"
    for version in (motcua, pks07):
        assert version.title_vi and version.title_en
        assert all(factor.name_vi and factor.name_en for factor in version.factors.all())
        assert all(item.text_vi and item.text_en for item in version.questions.all())
        assert version.questions.get(factor__slot=0).required  # the overall question must be answered


def test_a_version_with_answers_cannot_change_but_a_revision_can(commune, campaign):
    motcua = campaign.questionnaire
    response_by_link(campaign=campaign, commune=commune, device_cookie="d1", raw=answers())
    motcua.refresh_from_db()
    assert motcua.is_frozen
    motcua.title_vi = "Tên khác"
    with pytest.raises(FrozenQuestionnaire):
        motcua.save()
    factor = motcua.factors.get(slot=1)
    factor.name_vi = "Tên khác"
    with pytest.raises(FrozenQuestionnaire):
        factor.save()
    item = question(motcua, "F1.1")
    item.text_vi = "Câu khác"
    with pytest.raises(FrozenQuestionnaire):
        item.save()
    with pytest.raises(FrozenQuestionnaire):
        item.delete()
    with pytest.raises(FrozenQuestionnaire):
        Question.objects.create(questionnaire=motcua, code="NEW", position=99, kind="scale", scale="agreement")

    latest = max(Questionnaire.objects.filter(code=motcua.code).values_list("version", flat=True))
    revision = questionnaire_revise(questionnaire=motcua)
    assert (revision.code, revision.version) == (motcua.code, latest + 1)

    def items(version):
        return list(
            version.questions.order_by("position").values_list(
                "code", "position", "kind", "scale", "headline", "required", "text_vi", "factor__slot", "shown_if"
            )
        )

    assert items(revision) == items(Questionnaire.objects.get(pk=motcua.pk))
    assert list(revision.factors.values_list("slot", "code", "name_vi")) == list(
        motcua.factors.values_list("slot", "code", "name_vi")
    )
    assert not revision.is_frozen
    edited = question(revision, "F1.1")
    edited.text_vi = "Câu hỏi đã sửa"
    edited.save()
    assert question(revision, "F1.1").text_vi == "Câu hỏi đã sửa"
    assert question(motcua, "F1.1").text_vi != "Câu hỏi đã sửa"
    assert questionnaire_revise(questionnaire=motcua).version == latest + 2


# --- Reading answers ------------------------------------------------------------------------------


def clean_error(raw, version=None) -> str:
    with pytest.raises(SurveyError) as caught:
        answers_clean(version or questionnaire(), raw)
    return str(caught.value)


def test_answers_clean_keeps_a_valid_answer_and_sets_the_comment_apart():
    raw = answers(5, OPEN="  Cán bộ nhiệt tình.  ", **{"UNKNOWN": "x", "F1.2": "4", "P1": ["organisation"]})
    cleaned, comment = answers_clean(questionnaire(), raw)
    assert comment == "Cán bộ nhiệt tình."
    assert "OPEN" not in cleaned and "UNKNOWN" not in cleaned
    assert cleaned["F1.2"] == 4  # a form's strings become numbers
    assert cleaned["P1"] == "organisation"  # one value from a list for a single choice
    assert cleaned["OVERALL"] == 5


@pytest.mark.parametrize("value", [6, -1, "abc", "4.5"])
def test_a_scale_answer_outside_one_to_five_is_refused(value):
    motcua = questionnaire()
    text = clean_error(answers(**{"F1.S": value}))
    item = question(motcua, "F1.S")
    expected = {
        message(_("“%(question)s”: the answer is out of range."), question=item.text),
        message(_("“%(question)s”: please choose one of the answers."), question=item.text),
    }
    assert text in expected


def test_not_applicable_is_kept_where_offered_and_refused_where_not():
    motcua = questionnaire()
    cleaned, _comment = answers_clean(motcua, answers(**{"F1.S": 0}))
    assert cleaned["F1.S"] == 0
    # A draft version may take 'not applicable' away from an item.
    draft = questionnaire_revise(questionnaire=motcua)
    item = question(draft, "F1.S")
    item.allows_na = False
    item.save()
    assert clean_error(answers(**{"F1.S": 0}), draft) == message(
        _("“%(question)s”: the answer is out of range."), question=item.text
    )


def test_single_and_multiple_choices_must_be_among_the_options():
    motcua = questionnaire()
    assert clean_error(answers(P1="robot")) == message(
        _("“%(question)s”: please choose one of the answers."), question=question(motcua, "P1").text
    )
    expectations = question(motcua, "EXP1")
    assert clean_error(answers(EXP1=["faster", "teleport"])) == message(
        _("“%(question)s”: please choose one of the answers."), question=expectations.text
    )
    assert clean_error(answers(EXP1=["faster", "online", "attitude", "facilities"])) == message(
        _("“%(question)s”: choose at most %(count)d."), question=expectations.text, count=3
    )
    cleaned, _comment = answers_clean(motcua, answers(EXP1=["online", "faster", "online"]))
    assert cleaned["EXP1"] == ["faster", "online"]
    cleaned, _comment = answers_clean(motcua, answers(EXP1="online"))
    assert cleaned["EXP1"] == ["online"]


@pytest.mark.parametrize(("value", "accepted"), [(0, True), (99, True), (100, False), (-1, False), ("x", False)])
def test_a_number_answer_is_between_0_and_99(value, accepted):
    motcua = questionnaire()
    if accepted:
        assert answers_clean(motcua, answers(**{"F2.5": value}))[0]["F2.5"] == value
    else:
        assert clean_error(answers(**{"F2.5": value})) in {
            message(_("“%(question)s”: the answer is out of range."), question=question(motcua, "F2.5").text),
            message(_("“%(question)s”: please choose one of the answers."), question=question(motcua, "F2.5").text),
        }


def test_a_comment_has_a_length_limit():
    assert answers_clean(questionnaire(), answers(OPEN="x" * COMMENT_MAX))[1] == "x" * COMMENT_MAX
    assert clean_error(answers(OPEN="x" * (COMMENT_MAX + 1))) == message(
        _("The comment is too long (at most %(limit)d characters)."), limit=COMMENT_MAX
    )


def test_items_hidden_by_their_condition_are_dropped():
    motcua = questionnaire()
    cleaned, _comment = answers_clean(motcua, answers(**{"F5.0": "no"}))
    assert cleaned["F5.0"] == "no"
    assert not {"F5.1", "F5.2", "F5.3", "F5.4", "F5.S"} & set(cleaned)
    assert scores_of(motcua, cleaned)["score_5"] is None
    cleaned, _comment = answers_clean(motcua, answers(**{"F5.0": None}))
    assert "F5.S" not in cleaned


def test_the_required_overall_question_and_at_least_one_answer_are_needed():
    motcua = questionnaire()
    assert clean_error(answers(OVERALL=None)) == message(
        _("Please answer “%(question)s”."), question=question(motcua, "OVERALL").text
    )
    assert clean_error({"OVERALL": 0}) == message(_("Please answer at least one question before sending."))
    assert clean_error({"OVERALL": 0, "F1.1": 0, "P1": "individual"}) == message(
        _("Please answer at least one question before sending.")
    )


def test_a_factor_scores_its_headline_item_or_the_mean_of_its_items_without_not_applicable():
    motcua, pks07 = questionnaire(), questionnaire(PKS07)
    scores = scores_of(motcua, answers_clean(motcua, answers(4, **{"F1.S": 2, "F1.1": 5, "F2.S": 0}))[0])
    assert scores["score_1"] == 200  # the headline item, not the mean of F1.1…F1.S
    assert scores["score_2"] is None  # headline 'not applicable': no score
    assert scores["score_0"] == 400
    raw = {"R1": 5, "R2": 4, "R3": 5, "R5": 0, "R6": 3, "R8": 0, "R9": 4}
    scores = scores_of(pks07, answers_clean(pks07, raw)[0])
    assert scores["score_1"] == 500
    assert scores["score_2"] == 450  # dan-ban: the mean of R2 and R3
    assert scores["score_4"] == 300  # R5 not applicable is left out of the mean
    assert scores["score_3"] is None  # R4 not answered
    assert scores["score_6"] is None  # R8 not applicable
    assert scores["score_0"] == 400
    assert scores_of(pks07, {"R2": 2, "R3": 3, "R9": 1})["score_2"] == 250


# --- Visit codes ----------------------------------------------------------------------------------


def test_a_visit_code_gives_one_response(commune, campaign):
    code = codes(code_batch(campaign, commune, 2))[0]
    response = response_by_code(code=code.lower()[:4] + "-" + code[4:], raw=answers())
    assert response.channel == "code" and response.commune == commune
    assert response.submitted_on == clock.today()
    assert VisitCode.objects.get(code=code).used_on == clock.today()
    with pytest.raises(SurveyError) as caught:
        response_by_code(code=code, raw=answers(2))
    assert str(caught.value) == message(_("This code has already been used: each code gives one answer. Thank you!"))
    assert Response.objects.count() == 1


def test_an_unknown_code_is_refused(campaign):
    with pytest.raises(SurveyError) as caught:
        response_by_code(code="ZZZZZZZZ", raw=answers())
    assert str(caught.value) == message(_("We do not know this code. Please check it against your slip."))


def test_a_code_expires_thirty_days_after_the_visit(commune, campaign):
    today = clock.today()
    old = codes(code_batch(campaign, commune, 1, day=today - datetime.timedelta(days=CODE_VALID_DAYS + 1)))[0]
    last_day = codes(code_batch(campaign, commune, 1, day=today - datetime.timedelta(days=CODE_VALID_DAYS)))[0]
    with pytest.raises(SurveyError) as caught:
        response_by_code(code=old, raw=answers())
    assert str(caught.value) == message(
        _("This code has expired: codes can be used for %(days)d days after the visit."), days=CODE_VALID_DAYS
    )
    assert response_by_code(code=last_day, raw=answers()).pk
    assert Response.objects.count() == 1


def test_a_code_of_a_closed_campaign_is_refused(commune, campaign):
    code = codes(code_batch(campaign, commune, 1))[0]
    campaign_close(campaign=campaign, by=site_admin())
    with pytest.raises(SurveyError) as caught:
        response_by_code(code=code, raw=answers())
    assert str(caught.value) == message(_("This survey is not open at the moment. Thank you all the same."))
    assert not Response.objects.exists()
    assert VisitCode.objects.get(code=code).used_on is None


def test_a_refused_answer_leaves_the_code_unused(commune, campaign):
    code = codes(code_batch(campaign, commune, 1))[0]
    with pytest.raises(SurveyError):
        response_by_code(code=code, raw=answers(OVERALL=None))
    assert VisitCode.objects.get(code=code).used_on is None
    assert response_by_code(code=code, raw=answers()).pk


# --- Kiosks ---------------------------------------------------------------------------------------


def test_a_kiosk_resend_is_already_received_and_other_answers_conflict(commune, campaign):
    tablet = kiosk(commune)
    client_id = uuid.uuid4()
    first = response_by_kiosk(kiosk=tablet, campaign=campaign, client_id=client_id, raw=answers())
    assert (first.channel, first.kiosk, first.client_id) == ("kiosk", tablet, client_id)
    with pytest.raises(AlreadyReceived) as caught:
        response_by_kiosk(kiosk=tablet, campaign=campaign, client_id=str(client_id), raw=answers())
    assert str(caught.value) == message(_("This answer had already been received."))
    with pytest.raises(Conflict) as caught:
        response_by_kiosk(kiosk=tablet, campaign=campaign, client_id=client_id, raw=answers(2))
    assert str(caught.value) == message(_("Another answer with this id was already received; this one was not stored."))
    other_tablet = kiosk(commune, name="Quầy 2")
    with pytest.raises(Conflict):
        response_by_kiosk(kiosk=other_tablet, campaign=campaign, client_id=client_id, raw=answers())
    assert Response.objects.count() == 1


def test_a_kiosk_answer_needs_a_valid_id_and_an_active_kiosk(commune, campaign):
    tablet = kiosk(commune)
    with pytest.raises(SurveyError) as caught:
        response_by_kiosk(kiosk=tablet, campaign=campaign, client_id="not-a-uuid", raw=answers())
    assert str(caught.value) == message(_("The tablet sent an answer without a valid id."))
    kiosk_retire(kiosk=tablet, by=site_admin())
    with pytest.raises(SurveyError) as caught:
        response_by_kiosk(kiosk=tablet, campaign=campaign, client_id=uuid.uuid4(), raw=answers())
    assert str(caught.value) == message(_("This kiosk has been retired; ask an officer to register the tablet again."))
    assert not Response.objects.exists()


@pytest.mark.parametrize(
    ("days_ago", "kept"), [(0, True), (3, True), (7, True), (8, False), (-1, False), (None, False), ("garbage", False)]
)
def test_a_kiosk_answer_keeps_the_day_it_was_made_within_a_week(commune, campaign, days_ago, kept):
    today = clock.today()
    sent = days_ago
    if isinstance(days_ago, int):
        sent = (today - datetime.timedelta(days=days_ago)).isoformat()
    response = response_by_kiosk(
        kiosk=kiosk(commune), campaign=campaign, client_id=uuid.uuid4(), raw=answers(), answered_on=sent
    )
    expected = today - datetime.timedelta(days=days_ago) if kept else today
    assert response.submitted_on == expected


def test_a_campaign_takes_answers_only_for_its_communes(commune, campaign):
    elsewhere = CommuneFactory(province=commune.province)
    expected = message(_("This survey does not cover %(commune)s."), commune=elsewhere)
    with pytest.raises(SurveyError) as caught:
        response_by_link(campaign=campaign, commune=elsewhere, device_cookie="d1", raw=answers())
    assert str(caught.value) == expected
    with pytest.raises(SurveyError) as caught:
        response_by_kiosk(kiosk=kiosk(elsewhere), campaign=campaign, client_id=uuid.uuid4(), raw=answers())
    assert str(caught.value) == expected
    assert not Response.objects.exists()


def test_a_campaign_takes_no_answers_outside_its_period(commune):
    today = clock.today()
    later = open_campaign(commune, starts_on=today + datetime.timedelta(days=1))
    with pytest.raises(SurveyError) as caught:
        response_by_link(campaign=later, commune=commune, device_cookie="d1", raw=answers())
    assert str(caught.value) == message(_("This survey is not open at the moment. Thank you all the same."))


# --- Open link ------------------------------------------------------------------------------------


def test_a_device_answers_a_campaign_once_through_the_open_link(commune, campaign):
    first = response_by_link(campaign=campaign, commune=commune, device_cookie="cookie-1", raw=answers())
    assert first.channel == "link" and first.device and "cookie-1" not in first.device
    with pytest.raises(SurveyError) as caught:
        response_by_link(campaign=campaign, commune=commune, device_cookie="cookie-1", raw=answers(2))
    assert str(caught.value) == message(_("You have already answered this survey from this device. Thank you!"))
    assert response_by_link(campaign=campaign, commune=commune, device_cookie="cookie-2", raw=answers()).pk
    with pytest.raises(SurveyError) as caught:
        response_by_link(campaign=campaign, commune=commune, device_cookie="", raw=answers())
    assert str(caught.value) == message(_("Please allow cookies for this site to answer the survey."))
    assert Response.objects.count() == 2


def test_the_same_device_may_answer_another_campaign(commune, campaign):
    other = open_campaign(commune, name="Khảo sát khác")
    response_by_link(campaign=campaign, commune=commune, device_cookie="cookie-1", raw=answers())
    assert response_by_link(campaign=other, commune=commune, device_cookie="cookie-1", raw=answers()).pk


# --- Anonymity ------------------------------------------------------------------------------------


def test_a_response_keeps_no_time_and_nothing_about_the_respondent():
    fields = Response._meta.get_fields()
    assert not [field.name for field in fields if isinstance(field, models.DateTimeField | models.TimeField)]
    assert isinstance(Response._meta.get_field("submitted_on"), models.DateField)
    people = [
        field.name
        for field in fields
        if field.is_relation and field.related_model is not None and field.related_model._meta.label == "portal.User"
    ]
    assert people == ["excluded_by"]  # the DoHA reviewer who excluded it, never the respondent
    words = ("ip", "address", "user", "email", "phone", "name", "agent", "session", "cookie")
    for field in fields:
        parts = field.name.split("_")
        assert not set(parts) & set(words), field.name


def test_a_stored_response_has_only_the_day(commune, campaign):
    response = response_by_link(
        campaign=campaign, commune=commune, device_cookie="c", raw=answers(), client_ip="203.0.113.9"
    )
    row = Response.objects.filter(pk=response.pk).values().get()
    assert "203.0.113.9" not in str(row)
    assert row["submitted_on"] == clock.today()


# --- Races (PostgreSQL: SQLite takes one writer at a time) ----------------------------------------


def at_once(count: int, work) -> list:
    """Run ``work`` in ``count`` threads released together; what each returned or raised."""
    barrier = threading.Barrier(count)
    outcomes = [None] * count

    def run(index):
        try:
            barrier.wait(timeout=10)
            outcomes[index] = work(index)
        except Exception as error:  # noqa: BLE001 - the outcome under test
            outcomes[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def postgresql():
    require(connection.vendor == "postgresql", "PostgreSQL")


@pytest.mark.django_db(transaction=True)
def test_eight_people_sending_the_same_code_at_once_make_one_response():
    postgresql()
    commune = CommuneFactory()
    campaign = open_campaign(commune)
    code = codes(code_batch(campaign, commune, 1))[0]
    outcomes = at_once(8, lambda index: response_by_code(code=code, raw=answers(1 + index % 5)))
    stored = [outcome for outcome in outcomes if isinstance(outcome, Response)]
    refused = [outcome for outcome in outcomes if isinstance(outcome, SurveyError)]
    assert (len(stored), len(refused)) == (1, 7), outcomes
    assert Response.objects.count() == 1
    assert VisitCode.objects.get(code=code).used_on == clock.today()


@pytest.mark.django_db(transaction=True)
def test_eight_resends_of_a_kiosk_answer_at_once_make_one_response():
    postgresql()
    commune = CommuneFactory()
    campaign = open_campaign(commune)
    tablet = kiosk(commune)
    client_id = uuid.uuid4()
    outcomes = at_once(
        8, lambda index: response_by_kiosk(kiosk=tablet, campaign=campaign, client_id=client_id, raw=answers())
    )
    stored = [outcome for outcome in outcomes if isinstance(outcome, Response)]
    resent = [outcome for outcome in outcomes if isinstance(outcome, AlreadyReceived)]
    assert (len(stored), len(resent)) == (1, 7), outcomes
    assert Response.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_eight_answers_from_one_device_at_once_make_one_response():
    postgresql()
    commune = CommuneFactory()
    campaign = open_campaign(commune)
    outcomes = at_once(
        8,
        lambda index: response_by_link(
            campaign=campaign, commune=commune, device_cookie="same-cookie", raw=answers(1 + index % 5)
        ),
    )
    stored = [outcome for outcome in outcomes if isinstance(outcome, Response)]
    refused = [outcome for outcome in outcomes if isinstance(outcome, SurveyError)]
    assert (len(stored), len(refused)) == (1, 7), outcomes
    assert Response.objects.count() == 1


# --- Quality signals ------------------------------------------------------------------------------


def test_straight_lining_and_fast_answers_are_flagged(commune, campaign):
    straight = response_by_link(campaign=campaign, commune=commune, device_cookie="a", raw=straight_answers(5))
    assert straight.flag_list == [Flag.STRAIGHT]
    fast = response_by_link(campaign=campaign, commune=commune, device_cookie="b", raw=answers(), elapsed_seconds=5)
    assert fast.flag_list == [Flag.FAST]
    calm = response_by_link(campaign=campaign, commune=commune, device_cookie="c", raw=answers(), elapsed_seconds=95)
    assert calm.flags == ""
    # Four answered items are too few to call straight-lining.
    few = {"OVERALL": 3, "F1.S": 3, "F2.S": 3, "F3.S": 3}
    assert response_by_link(campaign=campaign, commune=commune, device_cookie="d", raw=few).flags == ""


@pytest.mark.parametrize(("copies", "flagged"), [(4, 0), (5, 5)])
def test_identical_responses_of_a_commune_are_flagged_from_five(commune, campaign, copies, flagged):
    for index in range(copies):
        response_by_link(campaign=campaign, commune=commune, device_cookie=f"d{index}", raw=answers(3))
    response_by_link(campaign=campaign, commune=commune, device_cookie="other", raw=answers(5))
    assert identical_flag(campaign) == flagged
    assert Response.objects.filter(flags__contains=Flag.IDENTICAL).count() == flagged
    assert identical_flag(campaign) == 0  # already flagged


def test_identical_answers_spread_over_communes_are_not_flagged(commune, campaign):
    others = [CommuneFactory(province=commune.province) for _index in range(4)]
    campaign.communes.add(*others)
    for index, place in enumerate([commune, *others]):
        response_by_link(campaign=campaign, commune=place, device_cookie=f"d{index}", raw=answers(3))
    assert identical_flag(campaign) == 0


def identical_flag_by_groups(campaign) -> int:
    """The former identical_flag, kept as the reference: one UPDATE per group of twins."""
    from django.db.models import Case, Count, F, Value, When
    from django.db.models.functions import Concat

    from surveys.services.campaigns import IDENTICAL_MIN

    groups = (
        Response.objects.filter(campaign=campaign)
        .values("commune_id", "content_hash")
        .order_by()
        .annotate(count=Count("pk"))
        .filter(count__gte=IDENTICAL_MIN)
    )
    identical = Flag.IDENTICAL.value
    with_flag = Case(When(flags="", then=Value(identical)), default=Concat(F("flags"), Value("," + identical)))
    flagged = 0
    for group in groups:
        flagged += (
            Response.objects.filter(
                campaign=campaign, commune_id=group["commune_id"], content_hash=group["content_hash"]
            )
            .exclude(flags__contains=identical)
            .update(flags=with_flag)
        )
    return flagged


def test_the_set_based_identical_flag_gives_the_result_of_the_one_by_group(commune, campaign):
    import random

    rng = random.Random(14)  # noqa: S311 - a repeatable test set, not a secret
    others = [CommuneFactory(province=commune.province) for _index in range(3)]
    campaign.communes.add(*others)
    other_campaign = open_campaign(commune)
    places, today = [commune, *others], clock.today()
    starting_flags = ["", "", "", "fast", "straight", "burst,fast", "identical", "fast,identical"]
    rows = []
    for index in range(1200):
        # Few fingerprints, so groups of every size form: some under five, some over, across communes.
        rows.append(
            Response(
                campaign=campaign if index % 13 else other_campaign,
                commune=rng.choice(places),
                channel="link",
                device=f"device-{index}",
                submitted_on=today,
                content_hash=f"answers-{rng.randrange(150)}",
                flags=rng.choice(starting_flags),
            )
        )
    Response.objects.bulk_create(rows)
    before = dict(Response.objects.values_list("pk", "flags"))

    expected_count = identical_flag_by_groups(campaign)
    expected = dict(Response.objects.values_list("pk", "flags"))
    for pk, flags in before.items():
        Response.objects.filter(pk=pk).update(flags=flags)

    assert identical_flag(campaign) == expected_count > 0
    assert dict(Response.objects.values_list("pk", "flags")) == expected != before
    assert identical_flag(campaign) == identical_flag_by_groups(campaign) == 0


def fresh_burst_window():
    """The burst counter is per 10-minute window: do not start a run just before it turns."""
    left = responses_module.BURST_WINDOW_SECONDS - time.time() % responses_module.BURST_WINDOW_SECONDS
    if left < 15:
        time.sleep(left + 0.5)


@pytest.mark.parametrize(("count", "flagged"), [(8, 0), (9, 9), (10, 10)])
def test_a_burst_from_one_kiosk_is_flagged_together(
    commune, campaign, django_capture_on_commit_callbacks, count, flagged
):
    tablet, other = kiosk(commune), kiosk(commune, name="Quầy 2")
    fresh_burst_window()
    with django_capture_on_commit_callbacks(execute=True):
        response_by_kiosk(kiosk=other, campaign=campaign, client_id=uuid.uuid4(), raw=answers())
        for index in range(count):
            response_by_kiosk(kiosk=tablet, campaign=campaign, client_id=uuid.uuid4(), raw=answers(1 + index % 5))
    burst = Response.objects.filter(flags__contains=Flag.BURST)
    assert burst.count() == flagged
    assert not burst.filter(kiosk=other).exists()
    if flagged:
        groups = set(burst.values_list("burst", flat=True))
        assert len(groups) == 1 and "" not in groups
    assert not Response.objects.exclude(flags__contains=Flag.BURST).exclude(burst="").exists()


def test_a_burst_from_one_address_is_flagged(commune, campaign, django_capture_on_commit_callbacks):
    batch = code_batch(campaign, commune, 10)
    fresh_burst_window()
    with django_capture_on_commit_callbacks(execute=True):
        for index, code in enumerate(codes(batch)):
            response_by_code(code=code, raw=answers(1 + index % 5), client_ip="198.51.100.7")
    assert Response.objects.filter(flags__contains=Flag.BURST).count() == 10


def test_excluding_needs_a_reason_takes_only_flagged_responses_and_deletes_nothing(commune, campaign):
    admin = site_admin()
    flagged = response_by_link(campaign=campaign, commune=commune, device_cookie="a", raw=straight_answers(1))
    clean = response_by_link(campaign=campaign, commune=commune, device_cookie="b", raw=answers(5))
    with pytest.raises(SurveyError) as caught:
        responses_exclude(campaign=campaign, ids=[flagged.pk], reason="  ", by=admin)
    assert str(caught.value) == message(_("Write the reason for excluding these responses."))
    assert responses_exclude(campaign=campaign, ids=[flagged.pk, clean.pk], reason="Phiếu bấm một lượt", by=admin) == 1
    assert Response.objects.count() == 2
    flagged.refresh_from_db()
    assert (flagged.excluded, flagged.exclusion_reason, flagged.excluded_by) == (True, "Phiếu bấm một lượt", admin)
    assert not Response.objects.get(pk=clean.pk).excluded
    tallies = {(tally.slot, tally.channel): tally for tally in tallies_compute(campaign)}
    assert (tallies[0, "link"].answered, tallies[0, "link"].satisfied, tallies[0, "link"].responses) == (1, 1, 1)

    assert responses_include(campaign=campaign, ids=[flagged.pk], by=admin) == 1
    flagged.refresh_from_db()
    assert (flagged.excluded, flagged.exclusion_reason) == (False, "")
    tallies = {(tally.slot, tally.channel): tally for tally in tallies_compute(campaign)}
    assert (tallies[0, "link"].answered, tallies[0, "link"].satisfied) == (2, 1)
    assert responses_include(campaign=campaign, ids=[flagged.pk], by=admin) == 0


def test_excluding_touches_only_the_campaigns_own_responses(commune, campaign):
    other = open_campaign(commune, name="Khảo sát khác")
    theirs = response_by_link(campaign=other, commune=commune, device_cookie="a", raw=straight_answers(1))
    assert responses_exclude(campaign=campaign, ids=[theirs.pk], reason="Lý do", by=site_admin()) == 0
    assert not Response.objects.get(pk=theirs.pk).excluded


def test_the_fixture_items_of_a_factor_are_scale_items():
    # scores_of reads only scale items; a factor's number or choice items (F2.5, F5.0) never count.
    motcua = questionnaire()
    non_scale = Question.objects.filter(questionnaire=motcua, factor__isnull=False).exclude(kind="scale")
    assert set(non_scale.values_list("code", flat=True)) == {"F2.5", "F5.0"}
    assert Factor.objects.filter(questionnaire=motcua, questions__headline=True).distinct().count() == 6
