"""Facts about units that the vietnam-provinces snapshot cannot tell.

The package's legacy module is a snapshot of the units just before 1 July 2025; a unit that was
regraded or created earlier shows only its last name. Each entry here is sourced; add new ones the
same way rather than editing loaded rows by hand, so that `load_units` stays the one way data enters.
Keys are (level, official code).
"""

import datetime

# The last day of the three-level system and the first day of the two-level one
# (National Assembly Resolution 202/2025/QH15; new local governments from 1 July 2025).
LEGACY_UNTIL = datetime.date(2025, 6, 30)
CURRENT_FROM = datetime.date(2025, 7, 1)

UNIT_HISTORY: dict[tuple[str, str], dict] = {
    # Resolution 930/NQ-UBTVQH15: huyện Việt Yên became thị xã Việt Yên from 10 February 2024,
    # and its xã Quảng Minh became phường Quảng Minh the same day.
    ("district", "222"): {
        "former_names": [{"division_type": "huyện", "name": "Việt Yên", "valid_until": "2024-02-09"}],
    },
    ("commune", "07792"): {
        "former_names": [{"division_type": "xã", "name": "Quảng Minh", "valid_until": "2024-02-09"}],
    },
    # Resolution 1191/NQ-UBTVQH15 (effective 1 January 2025) created thị xã Chũ out of huyện Lục Ngạn.
    ("district", "224"): {"valid_from": datetime.date(2025, 1, 1)},
}
