"""Every role against every democracy route, GET and POST: the permission matrix of Law 10/2022's pages.

Places: a commune with two villages ("here" and "other"), a commune elsewhere in another province.
The records addressed by id belong to the village "here". The routes of consultations, conferences and
oversight boards come from their own modules in tests/democracy/matrix/. A role that may use a page gets anything but
a refusal (the page, a redirect after the action, a form's error, 405 for a GET on an action); a role
that may not gets 403, and an anonymous visitor is sent to sign in. Public pages answer everyone.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, get_resolver, reverse
from django.utils import timezone

from accounts.models import Role
from democracy.models import Board, BoardKind, BoardMember, Category, ConventionKind, Form, Proposer
from democracy.services import matter_open, matter_propose
from tests.communes.factories import CommuneFactory, DistrictFactory, ProvinceFactory
from tests.democracy.factories import village_with_households
from tests.democracy.matrix import (
    COSIGNERS,
    FEATURES,
    FOLLOWERS,
    HOUSEHOLD_READERS,
    KEEPERS,
    OFFICERS,
    ROLES,
)
from tests.portal.factories import UserFactory, user_with_role


@dataclass
class Places:
    commune: object
    village: object
    other_village: object
    household: object
    matter: object
    decision: object
    convention: object
    version: object
    ballot: object
    elsewhere: object
    district: object
    province: object
    board: object  # the commune's People's Inspection Board, on which "board_here" sits
    objects: dict  # the records of the feature modules (tests/democracy/matrix), by parameter name


def places_build() -> Places:
    from democracy.models import Convention, ConventionVersion

    province = ProvinceFactory()
    district = DistrictFactory(province=province)
    commune = CommuneFactory(province=province, district=district)
    village = village_with_households(4, commune=commune)
    other_village = village_with_households(3, commune=commune)
    elsewhere = CommuneFactory(province=ProvinceFactory())
    officer = UserFactory()
    matter = matter_propose(
        commune=commune,
        village=village,
        title="Làm đường bê tông ngõ 3",
        summary="Mức đóng góp 200.000 đồng mỗi hộ.",
        category=Category.CONTRIBUTIONS,
        form=Form.BALLOT,
        proposer=Proposer.VILLAGE_HEAD,
        by=officer,
    )
    now = timezone.now()
    matter_open(
        matter=matter, starts_at=now - datetime.timedelta(hours=1), ends_at=now + datetime.timedelta(days=3), by=officer
    )
    decision = matter.decisions.get()
    convention = Convention.objects.create(village=village, kind=ConventionKind.HUONG_UOC, title="Hương ước thôn")
    version = ConventionVersion.objects.create(convention=convention, number=1, text="Điều 1.", created_by=officer)
    board = Board.objects.create(
        commune=commune,
        kind=BoardKind.INSPECTION,
        term_starts_on=datetime.date(2025, 7, 1),
        term_ends_on=datetime.date(2027, 12, 31),
    )
    places = Places(
        commune=commune,
        village=village,
        other_village=other_village,
        household=village.household_list.first(),
        matter=matter,
        decision=decision,
        convention=convention,
        version=version,
        ballot=decision.ballots.first(),
        elsewhere=elsewhere,
        district=district,
        province=province,
        board=board,
        objects={},
    )
    for feature in FEATURES:
        places.objects.update(feature.build(places, officer))
    return places


@dataclass
class Scene:
    places: Places
    clients: dict  # each role's, signed in once for the module
    urls: dict  # each route's address


@pytest.fixture(scope="module")
def scene(django_db_setup, django_db_blocker):
    """Built once for the module inside a transaction rolled back at its end; each test's requests run in
    a savepoint of their own, rolled back, so no test sees another's writes."""
    with django_db_blocker.unblock(), transaction.atomic():
        places = places_build()
        clients = {role: Client() for role in ROLES}
        for role in ROLES:
            user = make_user(role, places)
            if user is not None:
                clients[role].force_login(user)
        urls = {name: url_for(name, places) for name in [*ALLOWED, *PUBLIC]}
        yield Scene(places, clients, urls)
        transaction.set_rollback(True)


def make_user(role: str, p: Places):
    return {
        "anonymous": lambda: None,
        "citizen": lambda: UserFactory(),
        "officer_here": lambda: user_with_role(Role.COMMUNE_OFFICER, p.commune),
        "officer_elsewhere": lambda: user_with_role(Role.COMMUNE_OFFICER, p.elsewhere),
        "reviewer_here": lambda: user_with_role(Role.DISTRICT_REVIEWER, p.district),
        "doha_here": lambda: user_with_role(Role.DOHA_STAFF, p.province),
        "head_here": lambda: user_with_role(Role.VILLAGE_HEAD, p.village),
        "head_other": lambda: user_with_role(Role.VILLAGE_HEAD, p.other_village),
        "front_here": lambda: user_with_role(Role.VILLAGE_FRONT, p.village),
        "front_other": lambda: user_with_role(Role.VILLAGE_FRONT, p.other_village),
        "commune_front_here": lambda: user_with_role(Role.COMMUNE_FRONT, p.commune),
        "commune_front_elsewhere": lambda: user_with_role(Role.COMMUNE_FRONT, p.elsewhere),
        "board_here": lambda: board_member(p.board),
        "site_admin": lambda: UserFactory(is_superuser=True),
    }[role]()


def board_member(board):
    user = UserFactory()
    BoardMember.objects.create(board=board, full_name="Vũ Văn Thanh", account=user)
    return user


# Who may use each route (the rule in democracy/rules.py it is protected by, read as roles).
ALLOWED = {
    **{name: roles for feature in FEATURES for name, roles in feature.ALLOWED.items()},
    "manage_villages": OFFICERS,
    "manage_village_create": OFFICERS,
    "manage_villages_import": OFFICERS,
    "manage_village": FOLLOWERS,
    "manage_village_update": OFFICERS,
    "manage_households": HOUSEHOLD_READERS,
    "manage_household_create": KEEPERS,
    "manage_household_update": KEEPERS,
    "manage_household_verify": KEEPERS,
    "manage_households_import": KEEPERS,
    "manage_matters": OFFICERS,
    "manage_matter_create": OFFICERS,
    "manage_village_matter_create": KEEPERS,
    "manage_matter": KEEPERS | COSIGNERS | {"commune_front_here"},
    "manage_matter_open": KEEPERS,
    "manage_matter_recognise": OFFICERS,
    "manage_matter_refuse": OFFICERS,
    "manage_meeting_record": KEEPERS,
    "manage_meeting_reschedule": KEEPERS,
    "manage_decision_ballots": KEEPERS,
    "manage_ballots_print": KEEPERS,
    "manage_ballot_enter": KEEPERS,
    "manage_decision_count": KEEPERS,
    "manage_decision_cosign": COSIGNERS,
    "manage_decision_send": KEEPERS,
    "manage_convention_create": KEEPERS,
    "manage_convention": FOLLOWERS,
    "manage_convention_version_create": KEEPERS,
    "manage_convention_adopt": KEEPERS,
    "manage_convention_recognise": OFFICERS,
}
# Where a POST needs more than the page: the households' list is read by the Front committee too, but
# only who keeps the list sets the village's count from it.
POST_ALLOWED = {
    "manage_households": KEEPERS,
    **{name: roles for feature in FEATURES for name, roles in feature.POST_ALLOWED.items()},
}
# Routes anyone may open (what residents know); voting asks for sign-in or a ballot's code itself.
PUBLIC = {
    "commune_democracy",
    "commune_calendar_ics",
    "village_detail",
    "matter_detail",
    "ballot_lookup",
    "ballot",
    "convention_detail",
    *(name for feature in FEATURES for name in feature.PUBLIC),
}
# Routes whose answer depends on their own data, not on a role (a token, a file that may be absent,
# the voter's household): checked in their own tests.
OWN_RULES = {
    "village_subscribe",
    "subscription_confirm",
    "subscription_cancel",
    "matter_document",
    "decision_minutes",
    "convention_document",
    "matter_vote",
    *(name for feature in FEATURES for name in feature.OWN_RULES),
}


def url_for(name: str, p: Places) -> str:
    kwargs_by_param = {
        "commune": {"pk": p.commune.pk},
        "village": {"pk": p.village.pk},
        "matter": {"pk": p.matter.pk},
        "decision": {"pk": p.decision.pk},
        "convention": {"pk": p.convention.pk},
        "version": {"pk": p.version.pk},
    }
    route = {pattern.name: str(pattern.pattern) for pattern in democracy_patterns()}[name]
    if "<str:code>" in route:
        return reverse(f"democracy:{name}", kwargs={"code": p.ballot.code})
    if "<str:token>" in route:
        return reverse(f"democracy:{name}", kwargs={"token": "x" * 43})
    if "household_pk" in route:
        return reverse(f"democracy:{name}", kwargs={"pk": p.village.pk, "household_pk": p.household.pk})
    for prefix, param in [
        ("communes/", "commune"),
        ("manage/communes/", "commune"),
        ("villages/", "village"),
        ("manage/villages/", "village"),
        ("matters/", "matter"),
        ("manage/matters/", "matter"),
        ("decisions/", "decision"),
        ("manage/decisions/", "decision"),
        ("conventions/", "convention"),
        ("manage/conventions/", "convention"),
        ("convention-versions/", "version"),
        ("manage/convention-versions/", "version"),
        *(prefix for feature in FEATURES for prefix in feature.PREFIXES),
    ]:
        if route.startswith(prefix):
            kwargs = kwargs_by_param[param] if param in kwargs_by_param else {"pk": p.objects[param].pk}
    return reverse(f"democracy:{name}", kwargs=kwargs) if "<int:pk>" in route else reverse(f"democracy:{name}")


def democracy_patterns() -> list[URLPattern]:
    resolver = get_resolver()
    for pattern in resolver.url_patterns:
        if getattr(pattern, "namespace", None) == "api":
            continue  # the app's API routes: tests/api/test_matrix.py
        for inner in getattr(pattern, "url_patterns", []):
            if getattr(inner, "app_name", None) == "democracy" or getattr(inner, "namespace", None) == "democracy":
                return [p for p in inner.url_patterns if isinstance(p, URLPattern)]
    raise AssertionError("democracy's URLs are not included")


def test_every_route_is_in_the_matrix():
    names = {pattern.name for pattern in democracy_patterns()}
    assert names == set(ALLOWED) | PUBLIC | OWN_RULES


def _wrong(response, role: str, allowed: bool) -> str | None:
    """What is wrong with the answer a role got, if anything."""
    status, location = response.status_code, response.headers.get("Location", "")
    if allowed:
        if status in (403, 404, 500) or "/accounts/login" in location:
            return f"{role}: allowed, answered {status} {location}"
    elif role == "anonymous":
        if not (status == 302 and "/accounts/login" in location):
            return f"{role}: not sent to sign in ({status})"
    elif status != 403:
        return f"{role}: refused, answered {status}"
    return None


@pytest.mark.parametrize("name", sorted(ALLOWED))
def test_every_role_gets_expected_answer_from_back_office(db, scene, name):
    """Every role on one route, GET and an empty POST (the permission is checked before the form), each in
    a savepoint rolled back: a refused role changes nothing, an allowed one is not refused."""
    url, wrong = scene.urls[name], []
    for role in ROLES:
        client = scene.clients[role]
        with transaction.atomic():
            wrong.append(_wrong(client.get(url), role, role in ALLOWED[name]))
            wrong.append(_wrong(client.post(url, {}), role, role in POST_ALLOWED.get(name, ALLOWED[name])))
            transaction.set_rollback(True)
    assert [problem for problem in wrong if problem] == []


@pytest.mark.parametrize("name", sorted(PUBLIC))
def test_public_pages_answer_everyone(db, scene, name):
    answers = {}
    for role in ["anonymous", "citizen", "head_other"]:
        with transaction.atomic():
            answers[role] = scene.clients[role].get(scene.urls[name]).status_code
            transaction.set_rollback(True)
    assert answers == {"anonymous": 200, "citizen": 200, "head_other": 200}
