"""Privacy: redaction of personal details before conversations are stored, and retention.

    privacy/redact.py          what counts as a phone number, e-mail, SSN, date or street address
    privacy/tracker_store.py   the tracker store Rasa uses (endpoints.yml): redacts, then stores
    privacy/retention.py       deleting old conversations and closed tickets, or one conversation
    python -m clinic_assistant.privacy          the staff command line (`make purge DAYS=N`, `make forget ID=...`)
"""
