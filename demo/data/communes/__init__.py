"""Demo content for a local run (``make run``): today's tỉnh Bắc Ninh, where the demo's live one-stop
shops are, and Bắc Giang before the 2025 reform, whose communes keep their records as history; one
module per kind of table (the province's procedure catalogue and code of conduct, the communes'
one-stop profiles, their disclosures).

Everything here is DATA, in Vietnamese as citizens would read it; it is illustrative, not an official
record. Names of people, phone numbers and decision numbers are invented.
"""

from demo.data.communes.code_of_conduct import CODES_OF_CONDUCT, TODAY_CODES_OF_CONDUCT
from demo.data.communes.disclosures import DISCLOSURES, TODAY_DISCLOSURES, DisclosureSpec
from demo.data.communes.procedures import PROCEDURES, ProcedureSpec
from demo.data.communes.profiles import (
    AFTERNOON,
    COMMUNES,
    FACILITY_NOTES,
    MORNING,
    TODAY_COMMUNES,
    WEEKDAYS,
    CommuneSpec,
)

PROVINCE_CODE = "24"  # tỉnh Bắc Giang until 30 June 2025, then tỉnh Bắc Ninh (the code was kept)
EMAIL_DOMAIN = "bacgiang.gov.vn"
TODAY_EMAIL_DOMAIN = "bacninh.gov.vn"
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
    "TODAY_CODES_OF_CONDUCT",
    "TODAY_COMMUNES",
    "TODAY_DISCLOSURES",
    "TODAY_EMAIL_DOMAIN",
    "WEEKDAYS",
    "CommuneSpec",
    "DisclosureSpec",
    "ProcedureSpec",
]
