"""Privacy: redaction of personal details before conversations are stored, and retention.

tracker_store.py   the tracker store Rasa uses (endpoints.yml): redacts, then stores
retention.py       deleting old conversations and closed tickets, or one conversation
__main__.py        the staff command line, `python -m clinic_assistant.privacy`
                   (`make purge DAYS=N`, `make forget ID=...`)

What counts as a phone number, e-mail, SSN, date or street address is clinic_assistant/redact.py,
which the ticket store uses too. This package uses the tickets (retention deletes them); the
tickets never use it.
"""
