"""The citizens' questionnaire cut into screens as the kiosk cuts it, what the server renders for the
script that shows one screen at a time (and what stays for a browser without it), where the browser
keeps the answers not yet sent, and the wording: the citizen is "Ông/Bà", never "bạn"."""

import json
import re
from pathlib import Path

import pytest
from django.templatetags.static import static
from django.test import override_settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from surveys.models import Question, Questionnaire
from surveys.selectors import questionnaire_screens, questionnaire_structure
from surveys.services import questionnaires_load, response_by_link
from surveys.services.questionnaires import FIXTURE
from surveys.views import kiosk
from surveys.views.public import DRAFT_DAYS
from tests.communes.factories import CommuneFactory
from tests.surveys.factories import MOTCUA, answers, code_batch, codes, open_campaign, questionnaire

pytestmark = pytest.mark.django_db

STEP = "Step %(step)s of %(total)s"
REQUIRED = "Please answer this question before going on."
BAN = re.compile(r"\bbạn\b", re.IGNORECASE)  # "you" between equals; a citizen is "Ông/Bà"


@pytest.fixture
def commune():
    return CommuneFactory()


@pytest.fixture
def campaign(commune):
    return open_campaign(commune, questionnaire=questionnaire(MOTCUA, version=2))


def link_url(commune) -> str:
    return reverse("surveys:commune_survey", kwargs={"pk": commune.pk})


def code_url(code: str) -> str:
    return reverse("surveys:code_survey", kwargs={"code": code})


def screens_of(html: str) -> list[str]:
    return re.findall(r'<section class="survey-screen".*?</section>', html, re.DOTALL)


def draft_key(html: str) -> str:
    return re.search(r'data-draft-key="([^"]*)"', html).group(1)


def opening_tag(html: str, marker: str) -> str:
    """The whole start tag of the element whose attributes contain ``marker``."""
    return re.search(rf"<[a-z0-9]+[^>]*{re.escape(marker)}[^>]*>", html).group(0)


# --- The screens ----------------------------------------------------------------------------------


def test_the_questionnaire_is_cut_into_screens_exactly_as_the_kiosk_cuts_it(campaign):
    structure = questionnaire_structure(campaign.questionnaire)

    screens = questionnaire_screens(structure)

    assert [screen.as_data() for screen in screens] == kiosk._questionnaire_payload(campaign)["screens"]
    assert screens[0].key == "profile"
    assert screens[0].questions == ["P1", "P3", "P4", "P5", "P6"]
    overall, *factors = structure.factors  # by slot: the overall question's is 0
    assert [screen.title for screen in screens[1:-1]] == [factor.name for factor in factors] + [overall.name]
    assert screens[-1].key == "suggestions" and screens[-1].questions == ["EXP1", "OPEN"]


def test_the_page_holds_one_section_a_screen_with_its_progress_and_heading(client, commune, campaign):
    html = client.get(link_url(commune)).content.decode()

    screens = screens_of(html)
    titles = [screen.title for screen in questionnaire_screens(questionnaire_structure(campaign.questionnaire))]
    assert len(screens) == len(titles) == 8
    for number, (screen, title) in enumerate(zip(screens, titles, strict=True), start=1):
        step = gettext(STEP) % {"step": number, "total": 8}
        assert f'id="survey-screen-{number}-step" data-survey-step>{step}</p>' in screen
        bar = opening_tag(screen, 'role="progressbar"')
        assert 'aria-valuemin="0"' in bar and 'aria-valuemax="8"' in bar and f'aria-valuenow="{number}"' in bar
        assert f'aria-valuetext="{step}"' in bar
        heading = f'<h2 class="survey-screen__title" id="survey-screen-{number}-title"'
        assert heading in screen and f'tabindex="-1">{title}</h2>' in screen
        assert f'aria-labelledby="survey-screen-{number}-title"' in screen
    assert gettext(STEP) % {"step": 2, "total": 8} == "Bước 2 / 8"
    # Without the script none of this moves: the progress and Back/Next stay hidden, Send shows.
    assert html.count('class="survey-progress" data-survey-progress hidden') == 8
    assert opening_tag(html, 'data-survey-action="back"').endswith(" hidden>")
    assert opening_tag(html, 'data-survey-action="next"').endswith(" hidden>")
    assert "hidden" not in opening_tag(html, 'class="button survey-send"')
    assert "hidden" not in "".join(re.findall(r'<section class="survey-screen"[^>]*>', html))


def test_without_scripts_the_page_is_still_the_whole_form(client, commune, campaign):
    html = client.get(link_url(commune)).content.decode()

    form = re.search(r'<form method="post".*?</form>', html, re.DOTALL).group(0)
    for question in campaign.questionnaire.questions.all():
        assert f'name="{question.code}"' in form
    for question in campaign.questionnaire.questions.filter(kind=Question.Kind.SCALE):
        assert form.count(f'name="{question.code}"') == 6  # five levels and "not applicable"
    assert '<button type="submit" class="button survey-send">' in form
    assert f'src="{static("js/surveys.js")}"' in html and f'src="{static("js/survey-screens.js")}"' in html


def test_a_required_question_carries_its_hidden_message_for_the_script(client, commune, campaign):
    html = client.get(link_url(commune)).content.decode()

    overall = opening_tag(html, 'id="q-OVERALL"')
    assert "data-required" in overall
    message = (
        f'<p class="survey-item__missing" id="q-OVERALL-missing" data-survey-missing hidden>{gettext(REQUIRED)}</p>'
    )
    assert message in html
    assert 'id="q-F1-1-missing"' not in html  # only required questions have one


def test_a_refused_answer_comes_back_with_every_answer_on_its_screens(client, commune, campaign):
    client.get(link_url(commune))

    response = client.post(link_url(commune), answers(F3_2=9, EXP1=["faster"]))

    html = response.content.decode()
    assert 'id="survey-error"' in html and '<a href="#q-F3-2">' in html
    screens = screens_of(html)
    assert len(screens) == 8
    assert 'class="survey-item survey-item--scale survey-item--invalid" id="q-F3-2"' in screens[3]
    assert re.search(r'name="F3.1"[^>]*value="4"[^>]*checked', screens[3])
    assert re.search(r'name="EXP1"[^>]*value="faster"[^>]*checked', screens[-1])
    assert re.search(r'name="P1"[^>]*value="individual"[^>]*checked', screens[0])


# --- The answers the browser keeps ----------------------------------------------------------------


def test_the_page_names_where_the_browser_keeps_its_answers_without_the_visit_code(client, commune, campaign):
    first, second = codes(code_batch(campaign, commune, 2))

    page = client.get(code_url(first)).content.decode()
    again = client.get(code_url(first)).content.decode()
    other = client.get(code_url(second)).content.decode()
    with translation.override("en"):
        english = client.get(code_url(first)).content.decode()
    link = client.get(link_url(commune)).content.decode()

    key = draft_key(page)
    assert re.fullmatch(r"[0-9a-f]{32}", key)
    assert key == draft_key(again) == draft_key(english)  # a reload or a change of language finds them
    assert key != draft_key(other) != draft_key(link)
    assert first not in key and first.lower() not in key
    assert f'data-draft-days="{DRAFT_DAYS}"' in page


def test_the_draft_key_depends_on_the_sites_secret(client, commune, campaign):
    code = codes(code_batch(campaign, commune, 1))[0]
    before = draft_key(client.get(code_url(code)).content.decode())

    with override_settings(SECRET_KEY="another-secret-key-for-another-site-0123456789abcdef"):
        after = draft_key(client.get(code_url(code)).content.decode())

    assert before != after  # nobody can work a code out of the key without the server


def test_the_thank_you_and_already_answered_pages_tell_the_script_the_answers_went_in(client, commune, campaign):
    client.get(link_url(commune))
    sent = client.post(link_url(commune), answers(), follow=True)
    again = client.get(link_url(commune))

    for response in (sent, again):
        html = response.content.decode()
        assert "data-survey-sent" in html
        assert f'src="{static("js/survey-screens.js")}"' in html
    assert 'id="thanks"' in sent.content.decode()
    assert 'id="already-answered"' in again.content.decode()


# --- Wording --------------------------------------------------------------------------------------


def test_version_2_of_the_one_stop_questionnaire_says_ong_ba_and_never_ban():
    questionnaires_load()
    latest = {}
    for version in Questionnaire.objects.order_by("code", "version"):
        latest[version.code] = version
    assert latest[MOTCUA].version == 2
    for version in latest.values():
        texts = [version.title_vi, version.intro_vi, *version.factors.values_list("name_vi", flat=True)]
        for item in version.questions.all():
            texts += [item.text_vi, *(option.get("vi", "") for option in item.options)]
        assert not [text for text in texts if BAN.search(text)]
    assert latest[MOTCUA].questions.get(code="P1").text_vi.startswith("Ông/Bà")


def test_version_2_asks_version_1s_items_so_that_their_answers_compare():
    first, second = questionnaire(MOTCUA, 1), questionnaire(MOTCUA, 2)

    def shape(version):
        return [
            (
                item.code,
                item.position,
                item.part,
                item.kind,
                item.scale,
                item.headline,
                item.required,
                item.allows_na,
                item.max_choices,
                item.shown_if,
                item.factor.slot if item.factor else None,
                [option["value"] for option in item.options],
            )
            for item in version.questions.select_related("factor").order_by("position")
        ]

    assert shape(second) == shape(first)
    assert list(second.factors.values_list("slot", "code", "name_vi")) == list(
        first.factors.values_list("slot", "code", "name_vi")
    )


def test_a_database_with_an_answered_version_1_keeps_it_and_gains_version_2(tmp_path, commune):
    data = json.loads(Path(FIXTURE).read_text(encoding="utf-8"))
    earlier = {**data, "questionnaires": [spec for spec in data["questionnaires"] if spec["version"] == 1]}
    (tmp_path / "earlier.json").write_text(json.dumps(earlier, ensure_ascii=False), encoding="utf-8")
    questionnaires_load(tmp_path / "earlier.json")  # the portal as it was installed
    answered = open_campaign(commune, questionnaire=Questionnaire.objects.get(code=MOTCUA, version=1))
    response_by_link(campaign=answered, commune=commune, device_cookie="a-phone", raw=answers())

    assert questionnaires_load() == (1, 2)  # today's fixture: version 2 only is new

    kept = Questionnaire.objects.get(code=MOTCUA, version=1)
    assert kept.is_frozen
    assert kept.questions.get(code="P1").text_vi == "Bạn là"  # answered words never change
    assert Questionnaire.objects.get(code=MOTCUA, version=2).questions.get(code="P1").text_vi.startswith("Ông/Bà")


@pytest.mark.parametrize("page", ["open link", "visit code", "code entry", "thanks", "already answered", "closed"])
def test_the_citizens_survey_pages_never_say_ban(client, commune, campaign, page):
    code = codes(code_batch(campaign, commune, 1))[0]
    if page == "already answered":
        client.get(link_url(commune))
        client.post(link_url(commune), answers())
    if page == "closed":
        commune = CommuneFactory()
    url = {
        "open link": link_url(commune),
        "visit code": code_url(code),
        "code entry": reverse("surveys:code_entry"),
        "thanks": f"{reverse('surveys:thanks')}?commune={commune.pk}",
        "already answered": link_url(commune),
        "closed": link_url(commune),
    }[page]

    html = client.get(url).content.decode()

    assert html and not BAN.search(html)
