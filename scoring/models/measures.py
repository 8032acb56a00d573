"""How a criterion is measured. Apart from the criteria so the metric registry
(scoring.services.computation.metrics) can name it without importing the models that consult the registry."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Measure(models.TextChoices):
    SELF = "self", _("self-assessed with evidence")
    SURVEY = "survey", _("computed from surveys")
    FEEDBACK = "feedback", _("computed from feedback")
    DOSSIER = "dossier", _("computed from dossier statistics")
    DISCLOSURE = "disclosure", _("computed from public disclosures")
    PROFILE = "profile", _("computed from the one-stop profile")
    DEMOCRACY = "democracy", _("computed from the grassroots-democracy records")
