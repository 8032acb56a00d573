"""The questionnaire loading command."""

import pytest
from django.core.management import call_command

from surveys.models import Questionnaire

pytestmark = pytest.mark.django_db


def test_load_questionnaires_twice_creates_each_version_once(capsys):
    call_command("load_questionnaires")
    call_command("load_questionnaires")
    assert sorted(Questionnaire.objects.values_list("code", "version")) == [
        ("pks-motcua", 1),
        ("pks-motcua", 2),
        ("pks07-than-thien", 1),
    ]
    assert capsys.readouterr().out.count("\n") == 2
