"""The demo's accounts: one per role, over the demo's places."""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Role, User
from accounts.services import role_assign, user_create


@dataclass(frozen=True)
class DemoAccount:
    role: str
    email: str
    full_name: str
    place: str

    @property
    def role_label(self) -> str:
        labels = {"citizen": _("citizen"), "site_admin": _("site administrator"), **dict(Role.choices)}
        return str(labels[self.role])


# Demo places: today's Bắc Ninh and one of its wards (which took over xã Quảng Minh), and the
# pre-2025 thị xã Việt Yên, the only kind of district there is since the district level ended.
DEMO_PASSWORD = "ChinhQuyen-2026"  # noqa: S105 - printed on purpose: demo accounts for a local run only

_DEMO = [
    ("citizen", "nguoi-dan@example.com", "Nguyễn Thị Hoa", None, None),
    ("commune_officer", "can-bo-xa@example.com", "Trần Văn Minh", Role.COMMUNE_OFFICER, ("commune", "07798")),
    (
        "village_head",
        "to-truong-van-coc-1@example.com",
        "Ngô Văn Khải",
        Role.VILLAGE_HEAD,
        ("village", "07798", "Vân Cốc 1"),
    ),
    (
        "village_front",
        "mat-tran-van-coc-1@example.com",
        "Đỗ Thị Mận",
        Role.VILLAGE_FRONT,
        ("village", "07798", "Vân Cốc 1"),
    ),
    (
        "commune_front",
        "mat-tran-phuong@example.com",
        "Lương Thị Hằng",
        Role.COMMUNE_FRONT,
        ("commune", "07798"),
    ),
    ("district_reviewer", "chuyen-vien-huyen@example.com", "Lê Thị Lan", Role.DISTRICT_REVIEWER, ("district", "222")),
    ("doha_staff", "so-noi-vu@example.com", "Phạm Quốc Hùng", Role.DOHA_STAFF, ("province", "24")),
    ("provincial_leader", "lanh-dao-tinh@example.com", "Hoàng Văn Thắng", Role.PROVINCIAL_LEADER, ("province", "24")),
    ("site_admin", "quan-tri@example.com", "Quản trị hệ thống", None, None),
]


def _demo_place(kind: str, code: str, name: str = ""):
    if kind == "village":
        from demo.democracy import demo_village  # the demo's residential group, made on first use

        return demo_village(code, name)
    model = apps.get_model("communes", kind)
    if kind == "district":
        return model.objects.get(code=code)  # districts exist only before 2025
    return model.objects.current().get(code=code)


@transaction.atomic
def demo_accounts_ensure(*, password: str) -> list[DemoAccount]:
    """One account per role, for the embedded demo; a second call changes nothing."""
    accounts = []
    for key, email, full_name, role, place_key in _DEMO:
        user = User.objects.filter(email=email).first() or user_create(
            email=email,
            password=password,
            full_name=full_name,
            email_verified=True,
            is_superuser=key == "site_admin",
        )
        place = _demo_place(*place_key) if place_key else None
        if role:
            role_assign(user=user, role=role, place=place)
        accounts.append(DemoAccount(role=key, email=email, full_name=full_name, place=str(place or "")))
    return accounts
