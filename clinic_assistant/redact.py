"""Finds personal details in free text and replaces them with tokens.

    "call me on 555-222-3333"  ->  "call me on [phone]"

Detected (token):
    [email]    e-mail addresses
    [ssn]      US social security numbers: 123-45-6789, 123 45 6789, 123456789
    [date]     full dates (3/14/1985, 1985-03-14, March 14, 1985, 14 March 1985), and a day
               and month given as a birth date ("born on March 14", "DOB 3/14")
    [phone]    US 10-digit numbers in any usual format, with or without +1; "+" and 8-15 digits
    [address]  a house number, one to three words and a street type (12 Oak Street, 200 N 5th
               Ave, Apt 4), or a PO box

Left alone on purpose: crisis and short numbers (911, 988, 741741), counts and durations
("5 sessions", "2 weeks"), doses, times and years. Names, and addresses or dates in other
shapes, are not detected: the callback form's answers are masked whole by the tracker store.
"""

import re
from typing import List, Pattern, Tuple

TOKENS = ("[email]", "[ssn]", "[date]", "[phone]", "[address]")

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_DAY = r"(?:0?[1-9]|[12]\d|3[01])(?:st|nd|rd|th)?"
_NUMERIC_DAY = r"(?:0?[1-9]|[12]\d|3[01])"
_MONTH_NUMBER = r"(?:0?[1-9]|1[0-2])"
_YEAR = r"(?:19|20)\d{2}"
_SEP = r"(?:[ \t]*[.-][ \t]*|[ \t]+)?"  # between the digit groups of a phone number

# A word that cannot be part of a street name: stops "2 hours to drive" being an address.
_NOT_STREET_NAME = (
    r"(?:to|and|or|the|an?|of|for|in|on|at|by|with|from|i|my|me|you|your|we|our|it|is|are|was|"
    r"were|be|then|than|but|so|if|per|more|less|other|different|times?|hours?|hrs?|days?|weeks?|"
    r"months?|years?|yrs?|minutes?|mins?|seconds?|mg|mcg|ml|kg|lbs?|pounds?|sessions?|doses?|"
    r"infusions?|treatments?|pills?|tablets?|people|kids|children|miles?|km|blocks?|steps?)\b"
)
_STREET_TYPE = (
    r"(?:street|st|avenue|ave|road|rd|boulevard|blvd|lane|ln|highway|hwy|parkway|pkwy)"
    # Ordinary words too: only as a capitalised street type ("Oak Drive", not "a good way").
    r"|(?-i:Drive|Dr|Court|Ct|Way|Place|Pl|Terrace|Circle|Cir|Square|Trail|Plaza|Crescent|Loop)"
)

# (token, pattern), applied in this order. Where a pattern has a group named `pii`,
# only that group is replaced ("born on [date]").
PATTERNS: List[Tuple[str, Pattern]] = [
    ("[email]", re.compile(r"[\w.!#$%&'*+/=?^`{|}~-]+@(?:[\w-]+\.)+[a-z]{2,}", re.I)),
    ("[ssn]", re.compile(r"(?<!\d)\d{3}(?P<sep>[ -]?)\d{2}(?P=sep)\d{4}(?!\d)")),
    (
        "[date]",
        re.compile(
            rf"(?<!\d){_NUMERIC_DAY}(?P<sep>[/-]){_NUMERIC_DAY}(?P=sep)(?:{_YEAR}|\d{{2}})(?!\d)"
            rf"|(?<!\d){_NUMERIC_DAY}\.{_NUMERIC_DAY}\.{_YEAR}(?!\d)"
            rf"|(?<!\d){_YEAR}(?P<iso>[/.-]){_MONTH_NUMBER}(?P=iso){_NUMERIC_DAY}(?!\d)"
            rf"|\b{_MONTH}\.?[ \t]+{_DAY},?[ \t]+{_YEAR}(?!\d)"
            rf"|\b{_DAY}[ \t]+(?:of[ \t]+)?{_MONTH}\.?,?[ \t]+{_YEAR}(?!\d)",
            re.I,
        ),
    ),
    (
        "[date]",
        re.compile(
            r"\b(?:born(?:[ \t]+on)?|birth[ \t]*day(?:[ \t]+is)?|b-?day|dob|d\.o\.b\.?|date[ "
            r"\t]+of[ \t]+birth(?:[ \t]+is)?)"
            rf"[ \t]*[:-]?[ \t]*(?P<pii>{_MONTH}\.?[ \t]+{_DAY}|{_DAY}[ \t]+(?:of[ \t]+)?{_MONTH}"
            rf"|{_NUMERIC_DAY}[/.-]{_NUMERIC_DAY})(?!\d)",
            re.I,
        ),
    ),
    ("[phone]", re.compile(r"(?<![\w+])\+\d(?:[ \t.()-]{0,2}\d){7,14}(?!\d)")),
    (
        "[phone]",
        re.compile(
            rf"(?<![\d+])(?:\+?1{_SEP})?(?:\(\d{{3}}\)|\d{{3}}){_SEP}\d{{3}}{_SEP}\d{{4}}(?!\d)"
        ),
    ),
    (
        "[address]",
        re.compile(
            rf"(?<![\w.,])\d{{1,6}}[a-z]?[ \t]+(?:(?!{_NOT_STREET_NAME})[a-z0-9][a-z0-9'.-]*[ "
            rf"\t]+){{1,3}}"
            rf"(?:{_STREET_TYPE})\b\.?(?:[ \t]+(?:n|s|e|w|ne|nw|se|sw)\b\.?)?"
            r"(?:,?[ \t]*(?:apt|apartment|suite|ste|unit|#)\.?[ \t]*#?[a-z0-9-]+)?",
            re.I,
        ),
    ),
    ("[address]", re.compile(r"\bp\.?[ \t]?o\.?[ \t]*box[ \t]+\d+\b", re.I)),
]


def _replace(token: str):
    def replacement(match: "re.Match") -> str:
        if "pii" not in match.re.groupindex:
            return token
        whole, start, end = (
            match.group(0),
            match.start("pii") - match.start(),
            match.end("pii") - match.start(),
        )
        return whole[:start] + token + whole[end:]

    return replacement


def redact(text: str) -> str:
    """`text` with every detected detail replaced by its token.

    Repeated until nothing more matches, so the result never contains a detected pattern
    and redacting twice changes nothing. Each pass removes digits or an "@" and tokens
    have neither, so this ends."""
    while True:
        redacted = text
        for token, pattern in PATTERNS:
            redacted = pattern.sub(_replace(token), redacted)
        if redacted == text:
            return text
        text = redacted
