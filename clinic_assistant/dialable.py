"""The numbers a person can call or text, as clinic.yml writes them: the clinic's phones and
every crisis line of the locale. The chat widget makes each one a link where it appears in an
answer (tel: to call, sms: where the answer says to text)."""

import re
from typing import Any, Dict, List

import phonenumbers

from clinic_assistant.settings import crisis_resources, phone_region

# A run of digits with the separators phone numbers are written with: "911", "(555) 010-0142",
# "1-800-799-7233". Runs of fewer than three digits ("press 1") are not numbers to dial.
NUMBER = re.compile(r"\+?\(?\d[\d ().-]*\d")
MIN_DIGITS = 3


def dial_address(text: str, region: str) -> str:
    """What a phone dials: E.164 for a full number (+18002221222), the digits of a short code
    or service number (988, 741741)."""
    digits = re.sub(r"[^\d+]", "", text)
    try:
        number = phonenumbers.parse(digits, region)
    except phonenumbers.NumberParseException:
        return digits
    if len(digits.lstrip("+")) >= 10 and phonenumbers.is_possible_number(number):
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return digits


def numbers(config: Dict[str, Any]) -> List[Dict[str, str]]:
    """Each number as written and its dial address, longest first (so that a longer number is
    matched before any shorter one it might contain)."""
    region = phone_region(config)
    sources = [str(v) for k, v in config["clinic"].items() if k.endswith("phone")]
    sources += [str(v) for v in crisis_resources(config).values()]
    found = {}
    for source in sources:
        for match in NUMBER.finditer(source):
            written = match.group(0)
            if len(re.sub(r"\D", "", written)) >= MIN_DIGITS:
                found.setdefault(written, dial_address(written, region))
    ordered = sorted(found.items(), key=lambda item: -len(item[0]))
    return [{"text": text, "dial": dial} for text, dial in ordered]
