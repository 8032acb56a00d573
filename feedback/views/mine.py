"""A signed-in citizen's own feedback: what they sent, where it stands and the commune's answers."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from core import clock
from feedback.selectors.mine import MINE_SHOWN, feedback_of_submitter


@require_safe
@never_cache  # personal: never kept by a shared cache or the browser's back button after sign-out
@login_required
def my_feedback(request):
    items = list(feedback_of_submitter(user=request.user))
    return render(
        request,
        "feedback/public/my_feedback.html",
        {"items": items, "today": clock.today(), "shown": MINE_SHOWN},
    )
