"""Open data: every public dataset of the portal in CSV, JSON and XLSX, with its data dictionary, its
licence and its update time, listed in a catalogue page and a DCAT catalogue (JSON-LD).

``registry`` says what a dataset is; ``datasets`` declares them; ``formats`` writes the files, streamed;
``catalog`` describes them in DCAT. What a dataset exports is no more than its public pages show:
no citizen's personal data ever leaves (tests/portal/test_open_data_privacy.py).
"""
