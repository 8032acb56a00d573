"""The API fuzzed from its own schema (schemathesis): for every operation, requests generated from the
schema reach the whole Django stack (middleware, authentication, rate limits, views, database) and no
answer is a server error, or a status, header, media type or body the schema does not describe.

The requests are sent as a commune officer signed in through the app's sign-in (an X-Session-Token),
so that the officer's operations and the writes are reached too; the permission matrix
(test_matrix.py) checks every other role. Path parameters named after a record the scene holds are
that record half the time, so the fuzzer reads real rows and not only 404s. Hypothesis is derandomised:
CI runs the same cases every time."""

from __future__ import annotations

import zlib
from pathlib import Path

import pytest
import schemathesis
from django.conf import settings
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from django.test import override_settings
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from rest_framework.test import APIClient
from schemathesis.config import SchemathesisConfig

from accounts.models import Role
from tests.communes.factories import CommuneFactory, ProvinceFactory
from tests.feedback.factories import CategoryFactory, submitted
from tests.portal.factories import PASSWORD, user_with_role

# The checks left out: ignored_auth sends made-up credentials beside the valid token and expects a
# refusal (a request that also carries valid ones is rightly served; the permission matrix checks each
# route without them); positive_data_acceptance expects any request the schema allows to succeed, while a
# service rightly refuses a schema-valid one with 400 (an unknown commune, a consent not given).
CONFIG = SchemathesisConfig.from_dict(
    {
        "checks": {"ignored_auth": {"enabled": False}, "positive_data_acceptance": {"enabled": False}},
        "phases": {"stateful": {"enabled": False}, "coverage": {"enabled": False}},
        "generation": {"max-examples": 10, "deterministic": True},
    }
)
SCHEMA = schemathesis.openapi.from_path(Path(settings.BASE_DIR) / "docs" / "openapi.yaml", config=CONFIG)
APP = get_wsgi_application()
# Generous: the fuzzer sends a few hundred requests from one address in seconds.
RATES = dict.fromkeys(("address", "address-write", "principal", "principal-write"), (100000, 60))


@pytest.fixture(scope="module")
def scene(django_db_setup, django_db_blocker):
    """A province with a commune, a category and one item, and the officer's app token; built once for
    the module, rolled back at its end (these tests come last in the file)."""
    with django_db_blocker.unblock(), transaction.atomic():
        province = ProvinceFactory()
        commune = CommuneFactory(province=province)
        item = submitted(commune=commune, category=CategoryFactory(province=province))
        officer = user_with_role(Role.COMMUNE_OFFICER, commune)
        login = APIClient().post(
            "/_allauth/app/v1/auth/login", {"email": officer.email, "password": PASSWORD}, format="json"
        )
        token = login.json()["meta"]["session_token"]
        known = {"province": province.pk, "commune": commune.pk, "code": item.code}
        # The WSGI handler closes the connection after each request, as a server must; here it holds
        # the test's transaction, so do what Django's test client does around its requests: keep it.
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        yield token, known
        transaction.set_rollback(True)
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def known_value(path: str, name: str, known: dict):
    """The scene's record for a path parameter, when the path names one it holds."""
    if name == "code":
        return known["code"]
    if name in {"id", "pk"}:
        for kind in ("province", "commune"):
            if path.startswith(f"/api/v1/{kind}s/{{"):
                return known[kind]
    return None


@SCHEMA.parametrize()
@hypothesis_settings(deadline=None, database=None, suppress_health_check=list(HealthCheck))
@override_settings(API_THROTTLE_RATES=RATES)
def test_no_request_the_schema_allows_breaks_the_api(db, scene, case):
    token, known = scene
    if case.path_parameters and zlib.crc32(repr(case.path_parameters).encode()) % 2 == 0:
        for name in case.path_parameters:
            value = known_value(case.path, name, known)
            if value is not None:
                case.path_parameters[name] = value
    with transaction.atomic():
        case.call_and_validate(app=APP, headers={"X-Session-Token": token})
        transaction.set_rollback(True)
