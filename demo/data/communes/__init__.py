"""Demo content for a local run (``make run``): Bắc Giang before the 2025 reform, one module per kind
of table (the province's procedure catalogue and code of conduct, the communes' one-stop profiles,
their disclosures).

Everything here is DATA, in Vietnamese as citizens would read it; it is illustrative, not an official
record. Names of people, phone numbers and decision numbers are invented.
"""

from demo.data.communes.code_of_conduct import CODES_OF_CONDUCT
from demo.data.communes.disclosures import DISCLOSURES, DisclosureSpec
from demo.data.communes.procedures import PROCEDURES, ProcedureSpec
from demo.data.communes.profiles import AFTERNOON, COMMUNES, FACILITY_NOTES, MORNING, WEEKDAYS, CommuneSpec

PROVINCE_CODE = "24"  # tỉnh Bắc Giang (pre-2025)
EMAIL_DOMAIN = "bacgiang.gov.vn"
DEMO_NOTE = "Thông tin minh họa cho bản chạy thử của cổng thông tin."

__all__ = [
    "AFTERNOON",
    "CODES_OF_CONDUCT",
    "COMMUNES",
    "DEMO_NOTE",
    "DISCLOSURES",
    "EMAIL_DOMAIN",
    "FACILITY_NOTES",
    "MORNING",
    "PROCEDURES",
    "PROVINCE_CODE",
    "WEEKDAYS",
    "CommuneSpec",
    "DisclosureSpec",
    "ProcedureSpec",
]
