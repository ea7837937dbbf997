"""The clinician callback form's names, declared once for the code (domain/domain.yml declares
the form and its slots for Rasa; tests/test_privacy.py checks the two agree).

Imported by the actions (actions/forms.py, actions/escalation.py) and by the redacting tracker
store (clinic_assistant/privacy/tracker_store.py).
"""

FORM = "clinician_callback_form"
# The conversation's handoff ticket, which the form's details are written to.
TICKET_SLOT = "handoff_ticket_id"

CONSENT = "callback_consent"
NAME = "callback_name"
CONTACT_METHOD = "callback_contact_method"
CONTACT = "callback_contact"
BEST_TIME = "callback_best_time"
# Every slot the form fills, in the order it asks (consent first).
SLOTS = (CONSENT, NAME, CONTACT_METHOD, CONTACT, BEST_TIME)
# The free-text answers that hold contact details: kept only on the ticket, never in the
# stored conversation.
CONTACT_DETAIL_SLOTS = (NAME, CONTACT, BEST_TIME)

# Messages with these intents are never answers to the form's questions: the form's validation
# action (actions/forms.py) leaves them to the rules (the crisis tiers; leaving the form).
NOT_ANSWERS = ("crisis", "crisis_es", "risk_check", "risk_check_es", "deny", "cancel")
