"""The top's pages, one module per part: home and health, the staff workspace, and the public pages
composed from several apps."""

from portal.views.home import HomeView, healthz
from portal.views.workspace import UnitWorkspaceView, WorkspaceView, scoring_years

__all__ = ["HomeView", "UnitWorkspaceView", "WorkspaceView", "healthz", "scoring_years"]
