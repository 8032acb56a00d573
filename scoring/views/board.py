"""The year's boards. (Stubs.)"""

from communes.views.access import province_permission_required
from scoring.views.access import district_permission_required


@province_permission_required("scoring.view_board")
def province_board(request, province, year):
    raise NotImplementedError


@province_permission_required("scoring.run_cycle")
def board_act(request, province, year, action):
    raise NotImplementedError


@district_permission_required("scoring.view_board")
def district_board(request, district, year):
    raise NotImplementedError
