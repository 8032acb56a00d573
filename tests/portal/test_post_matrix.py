"""Every role POSTs to every protected route: the state-changing half of the permission matrix.

The routes are found, not listed: every named route whose view checks a permission through
core.permissions (see test_permission_coverage.py). Each is built with real objects of one scene and
POSTed with an empty body by each role. What the role may do comes from the rules: the permission the
decorator names, on the object its loader returns, plus the permission a step needs beyond it
(``STEP_PERMISSIONS``, from the apps' rules modules). A refused role gets 403 (anonymous: sent to sign
in) and writes nothing; an allowed role is never refused.
"""

from __future__ import annotations

import inspect
import re
from dataclasses import dataclass

import pytest
from django.db import connection, transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import translation

from democracy import rules as democracy_rules
from feedback.views.backoffice import SERVICES as FEEDBACK_ACTIONS
from scoring import rules as scoring_rules
from scoring.models import Status
from scoring.services import appeal_file, decision_approve
from scoring.services.certificates import certificates_plan
from scoring.views.board import ACTIONS as BOARD_ACTIONS
from scoring.views.criteria import ACTIONS as CRITERIA_ACTIONS
from surveys import rules as surveys_rules
from surveys.views.backoffice import ACTIONS as CAMPAIGN_ACTIONS
from tests.communes.factories import CommuneFactory
from tests.democracy.factories import democracy_scene
from tests.feedback.factories import submitted
from tests.portal.test_permissions import ROLES, make_user, places_build
from tests.scoring.factories import advance, fill_self, open_assessment
from tests.scoring.test_decisions import draft, draft_only, final, recognisable_set
from tests.scoring.test_workflow import line
from tests.surveys.factories import code_batch, kiosk, open_campaign

# The steps of a route whose ``<action>`` picks what the POST does.
ACTIONS = {
    "scoring:board_act": list(BOARD_ACTIONS),
    "scoring:criteria_act": list(CRITERIA_ACTIONS),
    "surveys:campaign_act": list(CAMPAIGN_ACTIONS),
    "feedback:act": list(FEEDBACK_ACTIONS),
}

# What a POST needs beyond the permission that lets the role see the page, per the apps' rules.
STEP_PERMISSIONS = {
    ("scoring:board_act", "publish"): scoring_rules.PUBLISH_RESULTS,
    ("scoring:board_act", "finalize"): scoring_rules.PUBLISH_RESULTS,
    # The decision's page is where its draft is changed.
    ("scoring:decision", None): scoring_rules.DRAFT_DECISION,
    ("surveys:review", None): surveys_rules.REVIEW_RESPONSES,
    # The households' list is read by the village Front committee; setting the count keeps the list.
    ("democracy:manage_households", None): democracy_rules.KEEP_HOUSEHOLDS,
}

# URL arguments the decorator does not load: the permission is decided on the object it loads before
# the view looks at them, so a value that names nothing is enough for the matrix.
OTHER_ARGUMENTS = {
    "officer_pk": 999999,
    "key_pk": 999999,
    "disclosure_pk": 999999,
    "procedure_pk": 999999,
    "month": "2025-03",
    "year": 2025,
    "what": "responses",
    "fmt": "csv",
}


@dataclass(frozen=True)
class Route:
    name: str
    pattern: str
    view: object
    permission: str
    loader: object

    @property
    def arguments(self) -> list[str]:
        return list(self.pattern.pattern.converters) if hasattr(self.pattern, "pattern") else []


def protected_routes(resolver: URLResolver | None = None, namespace: str = "") -> list[tuple[str, URLPattern]]:
    """(name, pattern) of every named route whose function view checks a permission."""
    routes = []
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            routes += protected_routes(pattern, inner)
        elif pattern.name and hasattr(pattern.callback, "permission_required"):
            routes.append((f"{namespace}{pattern.name}", pattern))
    return routes


def loader_of(view):
    """The loader object_permission_required was given (None: the permission is checked without an object)."""
    return inspect.getclosurevars(view).nonlocals.get("load")


CASES = [
    (name, action)
    for name, pattern in protected_routes()
    for action in (ACTIONS.get(name) or [None])
    if "action" in pattern.pattern.converters or action is None
]


@dataclass
class Scene:
    users: dict
    clients: dict  # each role's, signed in once for the module
    loaded: dict  # the URL's loaded argument by loader name


@pytest.fixture(scope="module")
def scene(django_db_setup, django_db_blocker):
    """Built once for the module inside a transaction rolled back at its end."""
    with django_db_blocker.unblock(), transaction.atomic():
        places = places_build()
        users = {role: make_user(role, places) for role in ROLES}
        clients = {role: Client() for role in ROLES}
        for role, user in users.items():
            if user is not None:
                clients[role].force_login(user)
        criteria_set = recognisable_set(places.province)
        first = final(places.commune, criteria_set)
        second = final(places.other_commune, criteria_set)
        decision = draft_only(places.province, [first, second], users["doha_here"])
        # An approved decision of two more communes, for its certificates.
        more = [CommuneFactory(district=places.district, province=places.province, legacy=True) for _ in range(2)]
        approved = draft(places.province, [final(commune, criteria_set) for commune in more], users["doha_here"])
        approved = decision_approve(decision=approved, by=users["leader_here"])
        # Today's ward in its comment period, with an appeal.
        provisional = advance(fill_self(open_assessment(places.new_commune)), Status.PROVISIONAL)
        appeal = appeal_file(line=line(provisional, "G1.1"), by=None, text="Đề nghị xem lại.")
        campaign = open_campaign(places.commune)
        democracy = democracy_scene(places.new_commune, users["site_admin"])
        loaded = {
            "_commune": {"pk": places.commune.pk},
            "_province": {"pk": places.province.pk},
            "_district": {"pk": places.district.pk},
            "_criteria_set": {"pk": criteria_set.pk},
            "_assessment": {"pk": first.pk},
            "_decision": {"pk": decision.pk},
            "_campaign": {"pk": campaign.pk},
            "_batch": {"pk": code_batch(campaign, places.commune, 2).pk},
            "load_kiosk": {"pk": kiosk(places.commune).pk},
            "_feedback": {"code": submitted(commune=places.commune).code},
            "_appeal": {"pk": appeal.pk},
            "_certificate": {"serial": certificates_plan(approved)[0].serial},
            **democracy,
        }
        yield Scene(users, clients, loaded)
        transaction.set_rollback(True)


WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")


def writes_during(request) -> tuple[object, list[str]]:
    """The response and the SQL statements that changed data, outside sign-in's own tables."""
    statements = []

    def record(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        response = request()
    changed = [sql for sql in statements if sql.lstrip().upper().startswith(WRITES) and "django_session" not in sql]
    return response, changed


@pytest.mark.parametrize(("name", "action"), CASES, ids=[f"{n}[{a}]" if a else n for n, a in CASES])
def test_every_role_posts_to_a_protected_route(db, scene, name, action):
    pattern = dict(protected_routes())[name]
    view = pattern.callback
    loader = loader_of(view)
    loader_name = getattr(loader, "__name__", None)
    if loader is not None and loader_name not in scene.loaded:
        pytest.skip(f"the scene has no object for {loader_name}")
    # A loader may serve two routes (a record's page and the new record's, without its id).
    converters = pattern.pattern.converters
    arguments = {key: value for key, value in (scene.loaded.get(loader_name) or {}).items() if key in converters}
    for argument in pattern.pattern.converters:
        if argument not in arguments:
            arguments[argument] = action if argument == "action" else OTHER_ARGUMENTS[argument]
    with translation.override("vi"):
        url = reverse(name, kwargs=arguments)
    obj = loader(**arguments)[0] if loader else None
    permissions = [view.permission_required, *filter(None, [STEP_PERMISSIONS.get((name, action))])]

    # A route ending in a file name (sheet.pdf, export.xlsx, <what>.<fmt>) serves a download.
    download = bool(re.search(r"\.[^/]+$", str(pattern.pattern)))
    wrong = []
    for role in ROLES:
        user = scene.users[role]
        allowed = user is not None and all(user.has_perm(permission, obj) for permission in permissions)
        if allowed and download:
            continue  # a file to download: read-only, and rendering it is the slow part of the matrix
        client = scene.clients[role]
        with transaction.atomic():
            response, changed = writes_during(lambda client=client: client.post(url, {}))
            transaction.set_rollback(True)
        status = response.status_code
        to_sign_in = status == 302 and "login" in response.headers.get("Location", "")
        if allowed and (status == 403 or to_sign_in):
            wrong.append(f"{role}: allowed by the rules but refused ({status})")
        elif not allowed:
            if status != (302 if user is None else 403) or (user is None and not to_sign_in):
                wrong.append(f"{role}: refused by the rules but answered {status}")
            if changed:
                wrong.append(f"{role}: refused but wrote {changed[0][:80]}")
    assert wrong == [], f"POST {url}"


def test_class_views_behind_a_permission_take_no_post():
    # The matrix above POSTs to function views; a class view with a post() would need its own case.
    def class_views(resolver):
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                yield from class_views(pattern)
            elif getattr(pattern.callback, "view_class", None) is not None:
                yield pattern.callback.view_class

    from rules.contrib.views import PermissionRequiredMixin

    protected = [view for view in class_views(get_resolver()) if issubclass(view, PermissionRequiredMixin)]
    assert protected
    assert [view for view in protected if hasattr(view, "post")] == []
