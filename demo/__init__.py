"""Demo data for a local run (``make run`` calls ``manage.py setup_demo``), kept apart from the apps'
business code as Zulip keeps its development data apart. It sits just below ``portal``: it builds
through the apps' services and reads through their selectors, and no app imports it."""
