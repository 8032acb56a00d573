"""Demo surveys for a local run: a year of satisfaction surveys in the demo province, and an open
campaign to try the kiosk, the visit codes and the open link.

2025 is split by the reform: tỉnh Bắc Giang's communes answered until 30 June, today's Bắc Ninh wards
from 1 July, so each half is its own closed campaign over the units of its time. Idempotent: campaigns
are found by province and name, and a campaign that exists is left as it is with everything made for it
(responses, kiosks, codes). Responses are written in bulk, as thousands of them through the services
would take minutes, but their answers, scores, hashes and flags come from the functions the services
use. Random choices come from a fixed seed: every database gets the same survey.
"""

from __future__ import annotations

import datetime
import random
import secrets
import uuid
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role, RoleAssignment
from communes.data.unit_history import LEGACY_UNTIL
from communes.models import Commune, Province
from core import clock
from core.counters import keyed_hash
from demo.data import communes as communes_data
from surveys.models import (
    CODE_ALPHABET,
    CODE_LENGTH,
    Campaign,
    Channel,
    CodeBatch,
    Flag,
    Kiosk,
    Questionnaire,
    Response,
    VisitCode,
)
from surveys.services.campaigns import campaign_open, codes_issue, kiosk_register, kiosk_retire, statistics_refresh
from surveys.services.questionnaires import questionnaires_load
from surveys.services.responses import answer_flags, answers_clean, content_hash, device_key, scores_of

PROVINCE_CODE = "24"  # tỉnh Bắc Giang until 30 June 2025, then Bắc Ninh (the code was kept)
QUESTIONNAIRE = "pks-motcua"
CAMPAIGN_NAME = "Khảo sát mức độ hài lòng tại Bộ phận Một cửa năm {year}"
KIOSK_NAME = "Bàn trả kết quả"
OPEN_COMMUNE = "07798"  # phường Vân Hà, the demo officer's ward: its kiosk and codes work today
OPEN_CODES = 20
EXTRA_COMMUNES = 16  # besides the demo communes, so that a province's table has some length
SEED = 20250101
CHANNELS = {Channel.CODE: 50, Channel.KIOSK: 35, Channel.LINK: 15}
EXCLUSION_REASON = (
    "Cùng một máy tính bảng gửi 14 phiếu giống hệt nhau, mọi câu đều chọn “Rất hài lòng”, trong vài phút của "
    "một buổi chiều; camera quầy cho thấy không có người dân nào giao dịch lúc đó. Không tính vào kết quả."
)


@dataclass(frozen=True)
class Plan:
    """One campaign to make: its province, communes and period, and its bursts to show in the review."""

    province: Province
    communes: list[Commune]
    starts_on: datetime.date
    ends_on: datetime.date
    closed: bool
    bursts: tuple[tuple[str, int, bool], ...] = ()  # (commune code, responses, excluded)

    @property
    def name(self) -> str:
        return CAMPAIGN_NAME.format(year=self.starts_on.year)


# --- Who and where -------------------------------------------------------------------------------


def _role_user(role: str, fallback, **place):
    assignment = RoleAssignment.objects.filter(role=role, **place).select_related("user").order_by("pk").first()
    return assignment.user if assignment else fallback


def _with_others(rng: random.Random, province: Province, demo: list[Commune], valid_until) -> list[Commune]:
    others = list(
        Commune.objects.filter(province=province, valid_until=valid_until).exclude(pk__in=[c.pk for c in demo])
    )
    others.sort(key=lambda commune: commune.code)
    return demo + rng.sample(others, min(EXTRA_COMMUNES, len(others)))


def _plans(rng: random.Random, today: datetime.date) -> list[Plan]:
    codes = [spec.code for spec in communes_data.COMMUNES]
    plans = []
    legacy = Province.objects.filter(code=PROVINCE_CODE, valid_until=LEGACY_UNTIL).first()
    if legacy:
        demo = list(Commune.objects.filter(province=legacy, code__in=codes).order_by("code"))
        plans.append(
            Plan(
                province=legacy,
                communes=_with_others(rng, legacy, demo, LEGACY_UNTIL),
                starts_on=datetime.date(2025, 1, 1),
                ends_on=LEGACY_UNTIL,
                closed=True,
                bursts=(("07795", 12, False),),  # phường Nếnh
            )
        )
    current = Province.objects.current().filter(code=PROVINCE_CODE).first()
    if current:
        # Today's wards that took over the demo communes.
        demo = list(
            Commune.objects.current()
            .filter(province=current, predecessors__code__in=codes, predecessors__valid_until=LEGACY_UNTIL)
            .distinct()
            .order_by("code")
        )
        plans.append(
            Plan(
                province=current,
                communes=_with_others(rng, current, demo, None),
                starts_on=LEGACY_UNTIL + datetime.timedelta(days=1),
                ends_on=datetime.date(2025, 12, 31),
                closed=True,
                bursts=(("07777", 14, True), (OPEN_COMMUNE, 10, False)),  # phường Việt Yên, phường Vân Hà
            )
        )
        year = max(today.year, 2026)
        plans.append(
            Plan(
                province=current,
                communes=demo,
                starts_on=datetime.date(year, 1, 1),
                ends_on=datetime.date(year, 12, 31),
                closed=False,
            )
        )
    return plans


# --- Answers -------------------------------------------------------------------------------------

ITEMS = {
    1: ["F1.1", "F1.2", "F1.3", "F1.4"],
    2: ["F2.1", "F2.2", "F2.3", "F2.4"],
    3: ["F3.1", "F3.2", "F3.3", "F3.4", "F3.5", "F3.6"],
    4: ["F4.1", "F4.2", "F4.3"],
    5: ["F5.1", "F5.2", "F5.3", "F5.4"],
}
PROFILE = {
    "P1": (["individual", "organisation"], [88, 12]),
    "P3": (["ho-tich", "chung-thuc", "dat-dai", "lao-dong", "tu-phap", "khac"], [30, 28, 18, 8, 8, 8]),
    "P4": (["in-person", "online", "post"], [78, 19, 3]),
    "P5": (["under-30", "30-44", "45-59", "60-plus"], [22, 38, 27, 13]),
    "P6": (["male", "female", "other"], [47, 52, 1]),
}
EXPECTATIONS = ["faster", "fewer-documents", "online", "attitude", "facilities", "transparency", "feedback", "other"]

PRAISE = [
    "Cán bộ hướng dẫn tận tình, hồ sơ trả đúng hẹn.",
    "Thủ tục nhanh gọn, tôi rất hài lòng.",
    "Phòng chờ sạch sẽ, có nước uống và đủ ghế ngồi.",
    "Được hướng dẫn đầy đủ một lần, không phải đi lại nhiều.",
    "Cảm ơn Bộ phận Một cửa đã giúp tôi nộp hồ sơ trực tuyến.",
    "Có phiếu hẹn rõ ràng, đến đúng hẹn là có kết quả.",
]
COMPLAINTS = [
    "Phải chờ gần một tiếng mới đến lượt, nên mở thêm quầy vào buổi sáng.",
    "Hồ sơ trễ hẹn ba ngày nhưng không ai báo trước.",
    "Chỗ để xe chật, trời mưa không có mái che.",
    "Lần đầu không được nói hết giấy tờ, phải bổ sung hai lần.",
    "Máy lấy số thứ tự hay bị hỏng.",
    "Mạng chậm nên không nộp được hồ sơ trực tuyến, phải lên tận nơi.",
]
# A comment that names someone, with the version DoHA lets the commune read ("" = not at all).
PERSONAL = [
    (
        "Chị Nguyễn Thị Mai ở quầy hộ tịch rất nhiệt tình, xin được khen ngợi.",
        "Chị [đã ẩn tên] ở quầy hộ tịch rất nhiệt tình, xin được khen ngợi.",
    ),
    (
        "Tôi là Trần Văn Bình, điện thoại 0912 345 678, hồ sơ đất đai nộp từ tháng trước vẫn chưa có kết quả.",
        "Tôi là [đã ẩn tên], điện thoại [đã ẩn], hồ sơ đất đai nộp từ tháng trước vẫn chưa có kết quả.",
    ),
    (
        "Anh cán bộ tư pháp tên Hùng trả lời cộc lốc, mong lãnh đạo nhắc nhở.",
        "Anh cán bộ tư pháp tên [đã ẩn] trả lời cộc lốc, mong lãnh đạo nhắc nhở.",
    ),
    ("Bán đất nền giá rẻ gần khu công nghiệp, liên hệ 0987 654 321.", ""),
]


def _clamp(value: int) -> int:
    return min(5, max(1, value))


def _raw(rng: random.Random, satisfied: float, weak_slot: int) -> dict:
    """One respondent's form: a level of satisfaction, items around it, a weaker factor in the commune."""
    happy = rng.random() < satisfied
    level = (5 if rng.random() < 0.4 else 4) if happy else rng.choices([3, 2, 1], [60, 30, 10])[0]
    raw = {"OVERALL": level}
    for code, (values, weights) in PROFILE.items():
        if rng.random() < 0.95:
            raw[code] = rng.choices(values, weights)[0]
    raw["F2.5"] = rng.choices([1, 2, 3, 4], [60, 28, 9, 3])[0]
    raw["F5.0"] = "yes" if rng.random() < 0.2 else "no"
    for slot, items in ITEMS.items():
        base = level - (1 if slot == weak_slot and rng.random() < 0.4 else 0)
        raw[f"F{slot}.S"] = _clamp(base + rng.choice([-1, 0, 0, 0, 0, 0, 1, 1]))
        for code in items:
            raw[code] = 0 if rng.random() < 0.03 else _clamp(base + rng.choice([-1, 0, 0, 1]))
    if rng.random() < 0.7:
        raw["EXP1"] = rng.sample(EXPECTATIONS, rng.randint(1, 3))
    return raw


def _comment(rng: random.Random, level: int) -> tuple[str, str, bool]:
    """(comment, what the commune may read, reviewed by DoHA)."""
    if rng.random() < 0.15:
        text, redacted = rng.choice(PERSONAL)
        return text, redacted, rng.random() < 0.8
    text = rng.choice(PRAISE if level >= 4 else COMPLAINTS)
    reviewed = rng.random() < 0.6
    return text, text if reviewed else "", reviewed


# --- Building ------------------------------------------------------------------------------------


class _Builder:
    """The rows of one campaign, kept in memory and written in a few bulk inserts."""

    def __init__(self, rng: random.Random, campaign: Campaign, kiosks: dict[int, Kiosk]):
        self.rng = rng
        self.campaign = campaign
        self.questionnaire = campaign.questionnaire
        self.kiosks = kiosks
        self.responses: list[Response] = []
        self.codes: dict[tuple[int, datetime.date], list[tuple[Response, datetime.date]]] = {}

    def add(self, commune: Commune, day: datetime.date, channel: str, raw: dict, **fields) -> Response:
        redacted, reviewed = "", False
        if "OPEN" not in raw and self.rng.random() < 0.07:
            raw["OPEN"], redacted, reviewed = _comment(self.rng, raw["OVERALL"])
        answers, comment = answers_clean(self.questionnaire, raw)
        elapsed = self.rng.uniform(8, 19) if self.rng.random() < 0.01 else None
        response = Response(
            campaign=self.campaign,
            commune=commune,
            channel=channel,
            submitted_on=day,
            language="en" if self.rng.random() < 0.03 else "vi",
            answers=answers,
            comment=comment,
            comment_redacted=redacted,
            comment_reviewed=reviewed,
            content_hash=content_hash(answers, comment),
            flags=",".join(answer_flags(self.questionnaire, answers, elapsed)),
            **scores_of(self.questionnaire, answers),
            **fields,
        )
        if channel == Channel.KIOSK:
            response.kiosk = self.kiosks[commune.pk]
            response.client_id = uuid.uuid4()
        elif channel == Channel.LINK:
            response.device = device_key(secrets.token_urlsafe(16))
        else:  # a code from the batch the commune printed for the week's visits
            monday = day - datetime.timedelta(days=day.weekday())
            self.codes.setdefault((commune.pk, monday), []).append((response, day))
        self.responses.append(response)
        return response

    def save(self, by) -> int:
        batches = {}
        for (commune_id, first), used in self.codes.items():
            unused = self.rng.randint(1, 1 + len(used) // 4)  # slips handed out but never answered
            batches[commune_id, first] = CodeBatch(
                commune_id=commune_id, campaign=self.campaign, issued_on=first, size=len(used) + unused, created_by=by
            )
        CodeBatch.objects.bulk_create(batches.values())
        taken = set(VisitCode.objects.values_list("code", flat=True))
        codes = []
        for key, used in self.codes.items():
            batch = batches[key]
            for index in range(batch.size):
                code = _new_code(taken)
                visit_code = VisitCode(batch=batch, code=code, used_on=used[index][1] if index < len(used) else None)
                if index < len(used):
                    used[index][0].visit_code = visit_code
                codes.append(visit_code)
        VisitCode.objects.bulk_create(codes, batch_size=1000)
        Response.objects.bulk_create(self.responses, batch_size=1000)
        return len(self.responses)


def _new_code(taken: set[str]) -> str:
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _index in range(CODE_LENGTH))
        if code not in taken:
            taken.add(code)
            return code


def _weekdays(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    """Working days, with Saturday mornings (many one-stop shops open then): the days citizens visit."""
    days = []
    day = start
    while day <= end:
        if day.weekday() < 6:
            days.append(day)
        day += datetime.timedelta(days=1)
    return days


def _kiosks(plan: Plan, by) -> dict[int, Kiosk]:
    """A kiosk at each commune's results desk, registered by its officer; a commune the reform ended
    had its kiosk retired with it."""
    kiosks = {}
    opened = timezone.make_aware(datetime.datetime.combine(plan.starts_on, datetime.time(7, 30)))
    for commune in plan.communes:
        kiosk = Kiosk.objects.filter(commune=commune, name=KIOSK_NAME, retired_at__isnull=True).first()
        if kiosk is None:
            officer = _role_user(Role.COMMUNE_OFFICER, by, commune=commune)
            kiosk = kiosk_register(commune=commune, name=KIOSK_NAME, by=officer)
            Kiosk.objects.filter(pk=kiosk.pk).update(registered_at=opened)
            if commune.valid_until:
                kiosk_retire(kiosk=kiosk, by=by)
                ended = timezone.make_aware(datetime.datetime.combine(commune.valid_until, datetime.time(17)))
                Kiosk.objects.filter(pk=kiosk.pk).update(retired_at=ended)
        kiosks[commune.pk] = kiosk
    return kiosks


def _campaign(plan: Plan, questionnaire, doha) -> Campaign:
    campaign = Campaign(
        province=plan.province,
        name=plan.name,
        questionnaire=questionnaire,
        starts_on=plan.starts_on,
        ends_on=plan.ends_on,
        created_by=doha,
    )
    if plan.closed:  # a past campaign: opened and closed on its own days (campaign_open refuses a past one)
        campaign.status = Campaign.Status.CLOSED
        campaign.opened_at = timezone.make_aware(datetime.datetime.combine(plan.starts_on, datetime.time(7, 30)))
        campaign.closed_at = timezone.make_aware(
            datetime.datetime.combine(plan.ends_on + datetime.timedelta(days=1), datetime.time(8))
        )
    campaign._history_user = doha
    campaign.save()
    campaign.communes.set(plan.communes)
    if not plan.closed:
        campaign_open(campaign=campaign, by=doha)
    return campaign


def _fill(rng: random.Random, plan: Plan, campaign: Campaign, kiosks, doha, by, today) -> int:
    builder = _Builder(rng, campaign, kiosks)
    last = min(plan.ends_on, today - datetime.timedelta(days=1))
    days = _weekdays(plan.starts_on, last)
    if not days:
        return 0
    share_of_year = len(days) / 310
    channels, weights = list(CHANNELS), list(CHANNELS.values())
    for index, commune in enumerate(plan.communes):
        if plan.closed and index in (len(plan.communes) - 1, len(plan.communes) - 4, len(plan.communes) - 7):
            count = rng.randint(8, 24)  # too few answers: shown as 'not enough', not scored
        else:
            count = round(rng.randint(220, 460) * share_of_year)
        satisfied = rng.uniform(0.42, 0.6) if index in (5, 11) else rng.uniform(0.7, 0.9)
        weak_slot = rng.randint(1, 5)
        for _response in range(count):
            builder.add(commune, rng.choice(days), rng.choices(channels, weights)[0], _raw(rng, satisfied, weak_slot))
    by_code = {commune.code: commune for commune in plan.communes}
    for number, (code, size, excluded) in enumerate(plan.bursts, start=1):
        commune = by_code.get(code)
        if commune is None:
            continue
        day = rng.choice(days)
        group = keyed_hash("burst-group", f"demo:{campaign.pk}:{number}", 16)
        for _response in range(size):
            raw = {"OVERALL": 5, "F5.0": "no", "OPEN": "", **{f"F{slot}.S": 5 for slot in ITEMS}}
            raw.update({item: 5 for slot, items in ITEMS.items() if slot != 5 for item in items})
            response = builder.add(commune, day, Channel.KIOSK, raw, burst=group)
            response.flags = ",".join(sorted({*response.flag_list, Flag.BURST.value}))
            if excluded:
                response.excluded, response.exclusion_reason, response.excluded_by = True, EXCLUSION_REASON, doha
    return builder.save(by)


@transaction.atomic
def surveys_demo_ensure(*, by=None) -> int:
    """Give the demo province its 2025 surveys and an open one for this year; the number of responses
    created. A second call creates nothing. Without the units of the demo province it does nothing."""
    questionnaires_load()
    # The latest version: its words are the ones a new campaign asks with.
    questionnaire = Questionnaire.objects.filter(code=QUESTIONNAIRE).order_by("-version").first()
    today = clock.today()
    rng = random.Random(SEED)  # noqa: S311 - demo content, not a secret
    created = 0
    for plan in _plans(rng, today):
        if Campaign.objects.filter(province=plan.province, name=plan.name).exists():
            continue
        doha = _role_user(Role.DOHA_STAFF, by, province=plan.province)
        kiosks = _kiosks(plan, by)
        campaign = _campaign(plan, questionnaire, doha)
        plan_rng = random.Random(f"{SEED}-{plan.name}-{plan.province.code}-{plan.closed}")  # noqa: S311
        created += _fill(plan_rng, plan, campaign, kiosks, doha, by, today)
        if not plan.closed:
            commune = next((commune for commune in plan.communes if commune.code == OPEN_COMMUNE), None)
            if commune:
                officer = _role_user(Role.COMMUNE_OFFICER, by, commune=commune)
                codes_issue(campaign=campaign, commune=commune, day=today, size=OPEN_CODES, by=officer)
        statistics_refresh(campaign=campaign)
    return created


def surveys_demo_summary(created: int) -> str:
    campaigns = Campaign.objects.filter(name__startswith=CAMPAIGN_NAME.format(year=""))
    counts = campaigns.aggregate(responses=Count("responses"))
    return _(
        "Demo surveys: %(campaigns)d campaigns, %(open)d open, %(responses)d responses (%(created)d created now)."
    ) % {
        "campaigns": campaigns.count(),
        "open": campaigns.filter(status=Campaign.Status.OPEN).count(),
        "responses": counts["responses"],
        "created": created,
    }
