"""The demo's tables: invented content in Vietnamese, as citizens and officials would write it."""
