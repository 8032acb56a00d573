"""The OpenAPI schema is generated from the code, valid, free of warnings, and committed: a change to
the API that does not come with its schema (``make schema``) fails here."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management import call_command

COMMITTED = Path(settings.BASE_DIR) / "docs" / "openapi.yaml"


def test_the_committed_schema_is_the_one_the_code_generates(tmp_path):
    generated = tmp_path / "openapi.yaml"
    # --validate checks it against the OpenAPI 3 specification; --fail-on-warn refuses any view whose
    # types drf-spectacular had to guess.
    call_command("spectacular", "--validate", "--fail-on-warn", "--lang", "en", "--file", str(generated))
    assert generated.read_text() == COMMITTED.read_text(), "the API changed: run `make schema` and commit"
