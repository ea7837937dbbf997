"""The staff console: clinicians see, claim and answer escalations (README "For clinic staff").

- models.py: the console's tables (accounts, sessions, audit log, holds, notes);
- accounts.py: staff accounts (argon2 hashes, lock-out) and server-side sessions with CSRF tokens;
- desk.py: who holds which ticket (enforced by the database), private notes, the audit log;
- rasa_api.py: the take-over and hand-back, through Rasa's own HTTP API;
- server.py: the web app (aiohttp), loopback by default, started by `make run`;
- __main__.py: `python -m clinic_assistant.console serve | staff add ...`.
"""
