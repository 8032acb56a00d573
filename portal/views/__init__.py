"""The top's pages, one module per part: home and health, the staff workspace, and the public pages
composed from several apps (the commune and the province)."""

from portal.views.commune import commune_detail
from portal.views.home import healthz, home
from portal.views.province import province_detail
from portal.views.workspace import UnitWorkspaceView, WorkspaceView

__all__ = [
    "UnitWorkspaceView",
    "WorkspaceView",
    "commune_detail",
    "healthz",
    "home",
    "province_detail",
]
