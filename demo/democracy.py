"""Demo grassroots democracy (Law 10/2022/QH15) for a local run, on today's phường Vân Hà: two
residential groups with their households, and one matter at each stage residents see —

- tổ dân phố Vân Cốc 1 amended its community rules (quy ước, item 3 of art. 15) at a community meeting:
  counted, co-signed, sent and recognised by the ward, and the amended text is in force;
- tổ dân phố Vân Cốc 2 decided its households' contributions to concreting a lane (item 1) by household
  ballots: counted, sent, awaiting the ward's recognition;
- tổ dân phố Vân Cốc 1 is voting online now (item 6) on its Sunday clean-up: a few representatives
  verified, some households have voted, the demo citizen's household has not yet.

The groups, their people and their matters are designed demo data: invented names, no real person.
Everything goes through the democracy services; only dates a service sets to "today" are moved back
afterwards (invitations, co-signing, sending, returned ballots), so the timeline reads as it happened.

Idempotent: a village is found by its kind and name, a household by its number, a matter by its village
and title, a convention by its title; what exists is left as it is.
"""

from __future__ import annotations

import datetime
import secrets
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role, User
from accounts.services import role_assign, user_create
from communes.models import Commune, Village, VillageKind
from core import clock
from core.clock import VIETNAM
from core.workdays import add_working_days
from demo.communes import _pdf
from democracy.models import (
    Ballot,
    Category,
    Choice,
    Convention,
    ConventionKind,
    ConventionVersion,
    Decision,
    Form,
    Household,
    Matter,
    MatterStatus,
    Proposer,
)
from democracy.services import (
    ballot_answer_online,
    ballot_enter,
    decision_cosign,
    decision_count,
    decision_send,
    matter_open,
    matter_propose,
    matter_recognise,
    meeting_record,
    vote_online,
)
from democracy.services.conventions import convention_create, version_adopt, version_create, version_recognise
from democracy.services.households import household_save, household_verify
from democracy.services.subscriptions import mails_muted
from democracy.services.villages import village_save

COMMUNE_CODE = "07798"  # phường Vân Hà, the demo officer's ward
OFFICER_EMAIL = "can-bo-xa@example.com"
CITIZEN_EMAIL = "nguoi-dan@example.com"
# The demo village's head and Front member: demo accounts (demo/accounts.py) when setup_demo made them,
# else made here without a usable password.
HEAD_EMAIL = "to-truong-van-coc-1@example.com"
FRONT_EMAIL = "mat-tran-van-coc-1@example.com"
DEMO_VILLAGE = "Vân Cốc 1"
WARD_CHAIRMAN = "Chủ tịch UBND phường Vân Hà"


@dataclass(frozen=True)
class VillageSpec:
    name: str
    households: int
    head_name: str
    front_head_name: str
    front_members: str
    head_email: str
    front_email: str


# Designed demo data: the group names follow the area's naming, the people are invented.
VILLAGES = [
    VillageSpec(
        DEMO_VILLAGE, 24, "Ngô Văn Khải", "Đỗ Thị Mận",
        "Đỗ Thị Mận, Trưởng ban\nLê Văn Quý, Phó Trưởng ban\nPhạm Thị Dịu, thành viên",
        HEAD_EMAIL, FRONT_EMAIL,
    ),
    VillageSpec(
        "Vân Cốc 2", 30, "Dương Văn Thịnh", "Vũ Thị Hằng",
        "Vũ Thị Hằng, Trưởng ban\nNguyễn Văn Tùng, thành viên",
        "to-truong-van-coc-2@example.com", "mat-tran-van-coc-2@example.com",
    ),
]  # fmt: skip
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đỗ", "Ngô", "Dương", "Bùi", "Đặng"]
MIDDLE = ["Văn", "Thị", "Đức", "Thị Thu", "Minh", "Thị Hồng", "Quang"]
GIVEN = ["An", "Bình", "Cường", "Dung", "Giang", "Hải", "Hạnh", "Khánh", "Lâm", "Mai", "Nam", "Oanh", "Phúc"]
CITIZEN_HOUSEHOLD = "15"  # the demo citizen (Nguyễn Thị Hoa) speaks for it, and has not voted yet

MEETING_TITLE = "Sửa đổi, bổ sung Quy ước tổ dân phố Vân Cốc 1"
BALLOT_TITLE = "Đóng góp bê tông hoá ngõ 5 tổ dân phố Vân Cốc 2"
ONLINE_TITLE = "Lịch tổng vệ sinh đường ngõ sáng Chủ nhật hằng tuần"
CONVENTION_TITLE = "Quy ước tổ dân phố Vân Cốc 1"
CONVENTION_TEXT_2019 = (
    "Chương I. Quy định chung\nĐiều 1. Quy ước này quy định việc giữ gìn an ninh trật tự, vệ sinh môi trường, "
    "nếp sống văn minh trong việc cưới, việc tang, lễ hội của tổ dân phố.\n"
    "Chương II. Nội dung cụ thể\nĐiều 5. Các hộ gia đình đổ rác đúng giờ, đúng nơi quy định."
)
CONVENTION_TEXT_NEW = CONVENTION_TEXT_2019 + (
    "\nĐiều 6 (bổ sung). Các hộ gia đình phân loại rác thải sinh hoạt tại nguồn theo hướng dẫn của phường."
    "\nĐiều 7 (bổ sung). Không đốt rơm rạ, rác thải trong khu dân cư; tiệc cưới kết thúc trước 22 giờ."
)


def _name(index: int) -> str:
    return f"{FAMILY[index % len(FAMILY)]} {MIDDLE[index * 3 % len(MIDDLE)]} {GIVEN[index * 5 % len(GIVEN)]}"


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=VIETNAM)


def _pdf_file(title: str, issuer: str, body: tuple[str, ...], name: str) -> ContentFile:
    return ContentFile(_pdf(title, issuer, body), name=name)


# --- Places and people -------------------------------------------------------------------------------


def _commune() -> Commune | None:
    return Commune.objects.filter(code=COMMUNE_CODE, valid_until__isnull=True).first()


def _spec(name: str) -> VillageSpec:
    return next(spec for spec in VILLAGES if spec.name == name)


def demo_village(commune_code: str, name: str, *, by=None) -> Village:
    """One of the demo's residential groups, made when first asked for (demo/accounts.py places the
    village head's and Front member's demo accounts on it before the rest of the demo is built)."""
    commune = Commune.objects.current().get(code=commune_code)
    found = Village.objects.current().filter(commune=commune, kind=VillageKind.TO_DAN_PHO, name=name).first()
    if found:
        return found
    spec = _spec(name)
    village = Village(
        commune=commune,
        kind=VillageKind.TO_DAN_PHO,
        name=spec.name,
        households=spec.households,
        head_name=spec.head_name,
        front_head_name=spec.front_head_name,
        front_members=spec.front_members,
    )
    return village_save(village=village, by=by)


def _user(email: str, full_name: str) -> User:
    """A demo person's account; one made here has no password anyone knows (it is not for signing in)."""
    return User.objects.filter(email=email).first() or user_create(
        email=email, password=secrets.token_urlsafe(24), full_name=full_name, email_verified=True
    )


def _households(village: Village, spec: VillageSpec, offset: int, by) -> int:
    numbers = set(Household.objects.filter(village=village).values_list("number", flat=True))
    made = 0
    for n in range(1, spec.households + 1):
        if str(n) in numbers:
            continue
        head = "Nguyễn Thị Hoa" if (spec.name, str(n)) == (DEMO_VILLAGE, CITIZEN_HOUSEHOLD) else _name(offset + n)
        household = Household(
            village=village,
            number=str(n),
            head_name=head,
            address=f"Số {2 * n}, ngõ {1 + n // 8}, {village.official_name}",
        )
        household_save(household=household, by=by)
        made += 1
    return made


def _verify(village: Village, number: str, email: str, head: User) -> Household:
    household = Household.objects.get(village=village, number=number)
    if household.representative_account_id is None:
        household = household_verify(household=household, email=_user(email, household.speaker).email, by=head)
    return household


# --- The matters -------------------------------------------------------------------------------------------


def _existing(village: Village, title: str) -> Matter | None:
    return Matter.objects.filter(village=village, title=title).first()


def _backdate_matter(matter: Matter, created: datetime.datetime, invited: datetime.date) -> None:
    Matter.objects.filter(pk=matter.pk).update(created_at=created)
    Decision.objects.filter(matter=matter).update(invited_on=invited)


@dataclass(frozen=True)
class Meeting:
    """A village meeting of the demo: what it decided, how many households came and voted, its minutes."""

    title: str
    summary: str
    category: Category
    starts_at: datetime.datetime
    minutes_title: str
    minutes_lines: tuple[str, ...]
    minutes_name: str
    present: int
    votes: tuple[int, int, int]  # for, against, abstaining
    proposed: datetime.datetime  # when the head proposed it
    cosigned_at: datetime.datetime
    recognised_after: int  # working days after the result was sent


def recognised_meeting(village: Village, head: User, front: User, officer: User, meeting: Meeting) -> Matter:
    """Propose, hold, record, co-sign, send (2 working days after the meeting) and recognise a meeting's
    decision through the services, then date each step as it happened."""
    meeting_day = clock.date_of(meeting.starts_at)
    matter = matter_propose(
        commune=village.commune,
        village=village,
        title=meeting.title,
        summary=meeting.summary,
        category=meeting.category,
        form=Form.MEETING,
        proposer=Proposer.VILLAGE_HEAD,
        by=head,
    )
    matter_open(matter=matter, starts_at=meeting.starts_at, place=f"Nhà văn hoá {village}", by=head)
    minutes = _pdf_file(meeting.minutes_title, str(village), meeting.minutes_lines, meeting.minutes_name)
    decision = matter.decisions.get()
    votes_for, votes_against, votes_abstain = meeting.votes
    meeting_record(
        decision=decision,
        present=meeting.present,
        votes_for=votes_for,
        votes_against=votes_against,
        votes_abstain=votes_abstain,
        minutes=minutes,
        by=head,
    )
    decision_send(decision=decision_cosign(decision=decision, by=front), by=head)
    sent_on = add_working_days(meeting_day, 2)
    Decision.objects.filter(pk=decision.pk).update(cosigned_at=meeting.cosigned_at, sent_on=sent_on)
    _backdate_matter(matter, meeting.proposed, meeting_day - datetime.timedelta(days=7))
    recognised_on = add_working_days(sent_on, meeting.recognised_after)
    number = f"{recognised_on.timetuple().tm_yday}/QĐ-UBND"
    return matter_recognise(matter=matter, number=number, on=recognised_on, by=officer)


def _meeting_matter(village: Village, head: User, front: User, officer: User, today: datetime.date) -> Matter:
    """Decided at the meeting six weeks ago, recognised by the ward; it adopts the amended quy ước."""
    meeting_day = today - datetime.timedelta(days=42)
    meeting = Meeting(
        title=MEETING_TITLE,
        summary=(
            "Bổ sung vào Quy ước quy định phân loại rác thải sinh hoạt tại nguồn, không đốt rơm rạ, rác thải "
            "trong khu dân cư và giờ kết thúc tiệc cưới; dự thảo đã niêm yết tại nhà văn hoá 30 ngày."
        ),
        category=Category.CONVENTION,
        starts_at=_at(meeting_day, 19, 30),
        minutes_title="Biên bản cuộc họp cộng đồng dân cư",
        minutes_lines=(
            f"Hồi 19 giờ 30 ngày {meeting_day:%d/%m/%Y}, tại Nhà văn hoá {village}, cộng đồng dân cư họp bàn và "
            f"quyết định: {MEETING_TITLE}.",
            "Số hộ gia đình có đại diện dự họp: 19/24 hộ.",
            "Kết quả biểu quyết: 17 hộ tán thành, 1 hộ không tán thành, 1 hộ không biểu quyết.",
        ),
        minutes_name="bien-ban-hop-van-coc-1.pdf",
        present=19,
        votes=(17, 1, 1),
        proposed=_at(meeting_day - datetime.timedelta(days=35), 8),
        cosigned_at=_at(meeting_day + datetime.timedelta(days=1), 9),
        recognised_after=4,
    )
    return recognised_meeting(village, head, front, officer, meeting)


def _ballot_matter(village: Village, head: User, front: User, today: datetime.date) -> Matter:
    """Household ballots over twelve days, ended two days ago: passed, sent, awaiting the ward."""
    first, last = today - datetime.timedelta(days=14), today - datetime.timedelta(days=2)
    matter = matter_propose(
        commune=village.commune,
        village=village,
        title=BALLOT_TITLE,
        summary=(
            "Mỗi hộ gia đình đóng góp 1.500.000 đồng cùng ngân sách phường bê tông hoá 180 m ngõ 5, rộng 3 m; "
            "Ban giám sát đầu tư của cộng đồng theo dõi việc thu, chi và công khai tại nhà văn hoá."
        ),
        category=Category.CONTRIBUTIONS,
        form=Form.BALLOT,
        proposer=Proposer.VILLAGE_HEAD,
        by=head,
    )
    matter_open(matter=matter, starts_at=_at(first, 7, 30), ends_at=_at(last, 17), by=head)
    decision = matter.decisions.get()
    ballots = list(decision.ballots.select_related("decision__matter").order_by("household__number"))
    # 27 of the 30 households returned their ballot: 22 for (two thirds of 30 is 20), 3 against, 2 abstaining.
    choices = [Choice.FOR] * 22 + [Choice.AGAINST] * 3 + [Choice.ABSTAIN] * 2
    for index, (ballot, choice) in enumerate(zip(ballots, choices, strict=False)):
        ballot_enter(ballot=ballot, choice=choice, by=head)
        returned = first + datetime.timedelta(days=index * 5 % ((last - first).days + 1))
        Ballot.objects.filter(pk=ballot.pk).update(cast_on=returned)
    counted = decision_count(decision=decision, by=head)
    decision_send(decision=decision_cosign(decision=counted, by=front), by=head)
    _backdate_matter(matter, _at(first - datetime.timedelta(days=10), 8), first - datetime.timedelta(days=3))
    matter.refresh_from_db()
    return matter


def _online_matter(village: Village, head: User, citizen: User | None, now: datetime.datetime) -> Matter:
    """Open since yesterday for a week: verified representatives vote with their account, other
    households with their ballot's code, two paper ballots were typed in by the group leader."""
    for number in ("3", "8", "12", "17"):
        _verify(village, number, f"dai-dien-ho-{number}.van-coc-1@example.com", head)
    household = Household.objects.get(village=village, number=CITIZEN_HOUSEHOLD)
    citizen_free = citizen is not None and not Household.objects.filter(representative_account=citizen).exists()
    if citizen_free and household.representative_account_id is None:
        household_verify(household=household, email=citizen.email, by=head)
    matter = matter_propose(
        commune=village.commune,
        village=village,
        title=ONLINE_TITLE,
        summary=(
            "Tổng vệ sinh đường ngõ, khơi thông rãnh thoát nước từ 6 giờ 30 đến 8 giờ sáng Chủ nhật hằng tuần; "
            "mỗi hộ cử một người tham gia, hộ vắng mặt báo Tổ trưởng tổ dân phố."
        ),
        category=Category.SELF_MANAGED,
        form=Form.ONLINE,
        proposer=Proposer.VILLAGE_HEAD,
        by=head,
    )
    matter_open(
        matter=matter, starts_at=now - datetime.timedelta(days=1), ends_at=now + datetime.timedelta(days=7), by=head
    )
    decision = matter.decisions.get()
    for number, choice in (("3", Choice.FOR), ("8", Choice.FOR), ("12", Choice.AGAINST)):
        user = Household.objects.get(village=village, number=number).representative_account
        vote_online(decision=decision, user=user, choice=choice)
    ballots = {b.household.number: b for b in decision.ballots.select_related("decision__matter", "household")}
    for number, choice in (("1", Choice.FOR), ("2", Choice.FOR), ("5", Choice.ABSTAIN), ("6", Choice.FOR)):
        ballot_answer_online(ballot=ballots[number], choice=choice)
    for number in ("10", "11"):
        ballot_enter(ballot=ballots[number], choice=Choice.FOR, by=head)
    _backdate_matter(matter, now - datetime.timedelta(days=4), clock.date_of(now - datetime.timedelta(days=2)))
    return matter


def _convention(village: Village, adopted_by: Matter, head: User, officer: User) -> Convention:
    """The group's quy ước: the 2019 text, superseded by the one the meeting adopted."""
    convention = convention_create(village=village, kind=ConventionKind.QUY_UOC, title=CONVENTION_TITLE, by=head)
    first = version_create(
        convention=convention, text=CONVENTION_TEXT_2019, posted_on=datetime.date(2019, 8, 1), by=head
    )
    version_adopt(version=first, matter=None, by=head)
    ConventionVersion.objects.filter(pk=first.pk).update(created_at=_at(datetime.date(2019, 8, 1), 8))
    version_recognise(
        version=first,
        authority="Chủ tịch UBND thị xã Việt Yên",
        number="1520/QĐ-UBND",
        in_force_from=datetime.date(2019, 10, 15),
        by=officer,
    )
    posted_on = adopted_by.created_at.astimezone(VIETNAM).date()
    amended = version_create(convention=convention, text=CONVENTION_TEXT_NEW, posted_on=posted_on, by=head)
    version_adopt(version=amended, matter=adopted_by, by=head)
    ConventionVersion.objects.filter(pk=amended.pk).update(created_at=adopted_by.created_at)
    version_recognise(
        version=amended,
        authority=WARD_CHAIRMAN,
        number=adopted_by.recognition_number,
        in_force_from=adopted_by.recognised_on,
        by=officer,
    )
    return convention


# --- Building it -------------------------------------------------------------------------------------------


def _village_people(village: Village, spec: VillageSpec) -> tuple[User, User]:
    head = _user(spec.head_email, spec.head_name)
    front = _user(spec.front_email, spec.front_head_name)
    role_assign(user=head, role=Role.VILLAGE_HEAD, place=village)
    role_assign(user=front, role=Role.VILLAGE_FRONT, place=village)
    return head, front


@transaction.atomic
def democracy_demo_ensure(*, by=None) -> int:
    """Build the demo on today's phường Vân Hà; the number of records created (0 on a second call).
    Without the ward (units not loaded) it does nothing. ``by`` stands in for the demo officer when
    that account is missing."""
    commune = _commune()
    officer = User.objects.filter(email=OFFICER_EMAIL).first() or by
    if commune is None or officer is None:
        return 0
    now = timezone.now()
    today = clock.date_of(now)
    made = 0
    with mails_muted():
        villages, people = {}, {}
        for offset, spec in enumerate(VILLAGES):
            existed = Village.objects.current().filter(commune=commune, name=spec.name).exists()
            villages[spec.name] = village = demo_village(COMMUNE_CODE, spec.name, by=officer)
            made += 0 if existed else 1
            people[spec.name] = _village_people(village, spec)
            made += _households(village, spec, offset * 100, by=people[spec.name][0])
        first, second = villages[DEMO_VILLAGE], villages[VILLAGES[1].name]
        head, front = people[DEMO_VILLAGE]
        meeting = _existing(first, MEETING_TITLE)
        if meeting is None:
            meeting = _meeting_matter(first, head, front, officer, today)
            made += 1
        if _existing(second, BALLOT_TITLE) is None:
            _ballot_matter(second, *people[second.name], today)
            made += 1
        if _existing(first, ONLINE_TITLE) is None:
            _online_matter(first, head, User.objects.filter(email=CITIZEN_EMAIL).first(), now)
            made += 1
        if (
            meeting.status == MatterStatus.RECOGNISED
            and not Convention.objects.filter(village=first, title=CONVENTION_TITLE).exists()
        ):
            _convention(first, meeting, head, officer)
            made += 1
    return made


def democracy_demo_summary(created: int) -> str:
    """One line for ``setup_demo``."""
    commune = _commune()
    villages = Village.objects.current().filter(commune=commune, name__in=[spec.name for spec in VILLAGES])
    matters = Matter.objects.filter(village__in=villages)
    return _(
        "Demo grassroots democracy: %(villages)d residential groups with %(households)d households, "
        "%(matters)d matters (%(deciding)d being decided), %(conventions)d conventions (%(created)d records "
        "created now)."
    ) % {
        "villages": villages.count(),
        "households": Household.objects.filter(village__in=villages).count(),
        "matters": matters.count(),
        "deciding": matters.filter(status=MatterStatus.DECIDING).count(),
        "conventions": Convention.objects.filter(village__in=villages).count(),
        "created": created,
    }
