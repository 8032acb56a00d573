"""What a citizen may set out to do by choosing a commune: the header's "Send feedback" and "Rate your
visit" open the commune search with ?task=..., and each result then leads straight to that task's page
for the unit of today.

The apps above communes register their tasks in their AppConfig.ready(), so communes names none of
their pages: feedback registers "feedback", surveys "survey".
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from communes.models import Commune


@dataclass(frozen=True)
class SearchTask:
    key: str
    url_name: str
    """The task's page of one unit; it takes the unit's pk."""
    title: str
    """The search page's heading while the task is chosen."""
    action: str
    """The link a result shows, e.g. "Send feedback here"."""

    def url_for(self, commune: Commune) -> str:
        return reverse(self.url_name, kwargs={"pk": commune.pk})


_TASKS: dict[str, SearchTask] = {}


def search_task_register(task: SearchTask) -> None:
    _TASKS[task.key] = task


def search_task(key: str | None) -> SearchTask | None:
    """The registered task named ``key``; None for anything else (a query string is anyone's)."""
    return _TASKS.get(key or "")


def task_targets(task: SearchTask, commune: Commune) -> list[tuple[Commune, str]]:
    """Where the task leads from a result: the unit itself while in force, else each unit of today
    that took it over (``successors_today``, set by the search)."""
    units = [commune] if commune.is_current else list(getattr(commune, "successors_today", []))
    return [(unit, task.url_for(unit)) for unit in units]
