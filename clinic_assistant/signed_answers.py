"""Serving only what a clinician signed off (clinic.yml `review.serve_only_signed`).

Rasa renders every response through this generator (endpoints.yml `nlg`). With the setting on,
an answer to an education topic that is not signed off for its exact text (content/signoff.yml)
is replaced by `utter_answer_awaiting_review`: the clinic's contact and the crisis lines. The
crisis protocol, escalations, the callback form and the other flow messages are always sent:
holding back a crisis reply or a form's question would leave a person with nothing.
With the setting off (the demo) every response is sent as written.
"""

import logging
from typing import Any, Dict, List, Optional, Set, Text

from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker

from clinic_assistant import settings, signoff

logger = logging.getLogger(__name__)

AWAITING_REVIEW = "utter_answer_awaiting_review"


class SignedAnswersOnly(TemplatedNaturalLanguageGenerator):
    """Rasa's template generator, holding back the withheld answers (see the module's notes)."""

    def __init__(self, endpoint_config: Any = None, domain: Optional[Domain] = None) -> None:
        self.serve_only_signed = settings.serve_only_signed(settings.load_clinic())
        self.records = signoff.load_records(signoff.SIGNOFF_FILE)
        self.withheld: Set[str] = set()
        super().__init__((domain or Domain.empty()).responses)

    # Rasa creates the generator before the model is loaded, then hands it the model's responses
    # (Agent.load_model): what is withheld is worked out each time they are set.
    @property
    def responses(self) -> Dict[Text, List[Dict[Text, Any]]]:
        return self._responses

    @responses.setter
    def responses(self, responses: Dict[Text, List[Dict[Text, Any]]]) -> None:
        self._responses = responses
        self.withheld = signoff.withheld(responses, self.records, self.serve_only_signed)
        if self.serve_only_signed and responses:
            logger.info("Serving only signed-off answers; %d withheld", len(self.withheld))

    async def generate(
        self,
        utter_action: Text,
        tracker: DialogueStateTracker,
        output_channel: Text,
        **kwargs: Any,
    ) -> Optional[Dict[Text, Any]]:
        if utter_action in self.withheld:
            utter_action = AWAITING_REVIEW
        return await super().generate(utter_action, tracker, output_channel, **kwargs)
