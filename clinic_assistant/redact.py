"""Finds personal details in free text and replaces them with tokens.

    "call me on 555-222-3333"  ->  "call me on [phone]"

Detected (token):
    [email]    e-mail addresses
    [card]     payment card numbers: 13 to 19 digits, grouped or not, that pass the Luhn check
    [ssn]      US social security numbers: 123-45-6789, 123 45 6789, 123.45.6789, 123456789
    [date]     full dates (3/14/1985, 1985-03-14, March 14, 1985, 14 March 1985), and a day
               and month given as a birth date ("born on March 14", "DOB 3/14")
    [phone]    US 10-digit numbers in any usual format, with or without +1; "+" or "00" and
               8-15 digits; and any number the `phonenumbers` library (Google's libphonenumber)
               finds valid for the clinic's country or one of `redaction.phone_regions`
               (clinic.yml), such as a UK number in its national format
    [address]  a house number, one to three words and a street type (12 Oak Street, 200 N 5th
               Ave, Apt 4), or a PO box

Digits may be separated by spaces of any kind (no-break, narrow, figure), dots, dashes of any
kind, slashes or parentheses; invisible characters (zero-width space and joiners, soft hyphen,
BOM) next to ASCII letters, digits or e-mail punctuation are removed first, so they cannot
split a detail.

Left alone on purpose: the clinic's own numbers and the crisis lines (from clinic.yml), crisis
and short numbers (911, 988, 741741), counts and durations ("5 sessions", "2 weeks"), doses,
blood pressure (120/80), times and years. Names, and addresses or dates in other shapes, are
not detected: the callback form's answers are masked whole by the tracker store.

Linear time: every repetition in these patterns is bounded, so the work at each position of
the text is bounded and a message of n characters costs O(n). (The previous patterns
backtracked quadratically: "born" and 20,000 spaces took most of a minute.) Callers must still
bound the text's length (the channels refuse more than 1,600 characters: MAX_MESSAGE_CHARS).
"""

import re
from functools import lru_cache
from typing import Callable, FrozenSet, List, Optional, Pattern, Tuple

import phonenumbers

TOKENS = ("[email]", "[card]", "[ssn]", "[date]", "[phone]", "[address]")

# Invisible format characters that can hide inside a number or an address.
_INVISIBLE = "\u00ad\u180e\u200b\u200c\u200d\u2060\u2061\u2062\u2063\u2064\ufeff"
# Removed where they touch an ASCII letter, digit or e-mail punctuation (kept elsewhere: a
# zero-width joiner inside an emoji or a non-Latin word means something there).
_INVISIBLE_NEAR_DETAIL = re.compile(
    rf"(?<=[A-Za-z0-9@.+_-])[{_INVISIBLE}]{{1,8}}|[{_INVISIBLE}]{{1,8}}(?=[A-Za-z0-9@.+_-])"
)
# Horizontal space of any kind (no-break, narrow no-break, figure space...), never a line break.
_HS = r"[^\S\r\n\f\v]"
_DASH = r"[-\u2010-\u2015\u2212\ufe63\uff0d]"

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_DAY = r"(?:0?[1-9]|[12]\d|3[01])(?:st|nd|rd|th)?"
_NUMERIC_DAY = r"(?:0?[1-9]|[12]\d|3[01])"
_MONTH_NUMBER = r"(?:0?[1-9]|1[0-2])"
_YEAR = r"(?:19|20)\d{2}"
# Between the digit groups of a phone number: a few spaces, a dot, dash or slash with spaces.
_SEP = rf"(?:{_HS}{{0,3}}(?:[./]|{_DASH}){_HS}{{0,3}}|{_HS}{{1,3}})?"
# Between any two digits of an international number.
_DIGIT_GAP = rf"(?:{_HS}|[./()]|{_DASH}){{0,3}}"

# The dot of an e-mail address, also spelled out: ".", " dot ", "[dot]", "(dot)".
_EMAIL_DOT = rf"(?:\.|{_HS}{{0,3}}[\[(<{{]dot[\])>}}]{_HS}{{0,3}}|{_HS}{{1,3}}dot{_HS}{{1,3}})"
_TLD = r"(?:com|org|net|edu|gov|mil|int|io|co|us|uk|ca|au|de|fr|es|mx|in|info|me|biz|us)"
# Between any two digits of a number typed to dodge a filter: any separators, or "dot".
_ANY_GAP = rf"(?:(?:{_HS}|[._/\\()*]|{_DASH}){{0,3}}|{_HS}{{0,2}}dot{_HS}{{0,2}})"

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
# only that group is replaced ("born on [date]"). A match of any of these is always redacted
# (except the clinic's own and crisis numbers, see `_keep`).
PATTERNS: List[Tuple[str, Pattern]] = [
    # The local part is at most 64 characters (RFC 5321), so each position costs a bounded scan.
    (
        "[email]",
        re.compile(r"[\w.!#$%&'*+/=?^`{|}~-]{1,64}@(?:[\w-]{1,63}\.){1,8}[a-z]{2,24}\b", re.I),
    ),
    # Written so that bots miss it: "sam at example dot org", "sam [at] example [dot] net",
    # "sam @ example.org". Only with a common top-level domain, so "at home dot" is not one.
    (
        "[email]",
        re.compile(
            rf"\b[\w+-]{{1,64}}(?:{_EMAIL_DOT}[\w+-]{{1,64}}){{0,4}}"
            rf"(?:{_HS}{{0,3}}@{_HS}{{0,3}}|{_HS}{{0,3}}[\[(<{{]at[\])>}}]{_HS}{{0,3}}|{_HS}{{1,3}}at{_HS}{{1,3}})"
            rf"[\w-]{{1,63}}(?:{_EMAIL_DOT}[\w-]{{1,63}}){{0,4}}{_EMAIL_DOT}{_TLD}\b",
            re.I,
        ),
    ),
    (
        "[ssn]",
        re.compile(rf"(?<!\d)\d{{3}}(?P<sep>[ ./]?|{_DASH}|{_HS})\d{{2}}(?P=sep)\d{{4}}(?!\d)"),
    ),
    # After "ssn" or "social (security)": nine digits, however they are spaced.
    (
        "[ssn]",
        re.compile(
            rf"\b(?:ssn|ss\#|social(?:{_HS}{{1,3}}security)?(?:{_HS}{{1,3}}(?:number|no\.?|\#))?)"
            rf"{_HS}{{0,3}}(?:is|[:=#-]){{0,2}}{_HS}{{0,3}}(?P<pii>\d(?:{_ANY_GAP}\d){{8}})(?!\d)",
            re.I,
        ),
    ),
    (
        "[date]",
        re.compile(
            rf"(?<!\d){_NUMERIC_DAY}(?P<sep>{_HS}{{0,2}}[/-]{_HS}{{0,2}}){_NUMERIC_DAY}(?P=sep)"
            rf"(?:{_YEAR}|\d{{2}})(?!\d)"
            rf"|(?<!\d){_NUMERIC_DAY}\.{_NUMERIC_DAY}\.{_YEAR}(?!\d)"
            rf"|(?<!\d){_YEAR}(?P<iso>[/.-]){_MONTH_NUMBER}(?P=iso){_NUMERIC_DAY}(?!\d)"
            rf"|\b{_MONTH}\.?{_HS}{{1,3}}{_DAY},?{_HS}{{1,3}}{_YEAR}(?!\d)"
            rf"|\b{_DAY}{_HS}{{1,3}}(?:of{_HS}{{1,3}})?{_MONTH}\.?,?{_HS}{{1,3}}{_YEAR}(?!\d)",
            re.I,
        ),
    ),
    (
        "[date]",
        re.compile(
            rf"\b(?:born(?:{_HS}{{1,3}}on)?|birth{_HS}{{0,2}}day(?:{_HS}{{1,3}}is)?|b-?day|dob"
            rf"|d\.o\.b\.?|date{_HS}{{1,3}}of{_HS}{{1,3}}birth(?:{_HS}{{1,3}}is)?)"
            rf"{_HS}{{0,3}}[:-]?{_HS}{{0,3}}"
            rf"(?P<pii>{_MONTH}\.?{_HS}{{1,3}}{_DAY}|{_DAY}{_HS}{{1,3}}(?:of{_HS}{{1,3}})?{_MONTH}"
            rf"|{_NUMERIC_DAY}[/.-]{_NUMERIC_DAY}|{_YEAR}[01]\d[0-3]\d|[01]\d[0-3]\d{_YEAR})(?!\d)",
            re.I,
        ),
    ),
    # "+" or "00" (the international prefix outside North America), then 8 to 15 digits.
    ("[phone]", re.compile(rf"(?<![\w+])(?:\+|00(?=[1-9]))\d(?:{_DIGIT_GAP}\d){{7,14}}(?!\d)")),
    (
        "[phone]",
        re.compile(
            rf"(?<![\d+])(?:\+?1{_SEP})?(?:\(\d{{3}}\)|\d{{3}}){_SEP}\d{{3}}{_SEP}\d{{4}}(?!\d)"
        ),
    ),
    # Ten digits (eleven with a leading 1) however they are separated: 512_904_6638,
    # 480\737\1152, "773 dot 492 dot 1187".
    (
        "[phone]",
        re.compile(rf"(?<![\w+])(?:1{_ANY_GAP})?\(?\d(?:{_ANY_GAP}\d){{9}}(?![\w])"),
    ),
    # A national number with its trunk prefix 0, as most countries write them: 0151 2345 6780.
    ("[phone]", re.compile(rf"(?<![\w+.,])0\d(?:{_DIGIT_GAP}\d){{7,10}}(?![\d.,])")),
    (
        "[address]",
        re.compile(
            rf"(?<![\w.,])\d{{1,6}}[a-z]?{_HS}{{1,3}}"
            rf"(?:(?!{_NOT_STREET_NAME})[a-z0-9][a-z0-9'.-]{{0,30}}{_HS}{{1,3}}){{1,3}}"
            rf"(?:{_STREET_TYPE})\b\.?(?:{_HS}{{1,3}}(?:n|s|e|w|ne|nw|se|sw)\b\.?)?"
            rf"(?:,?{_HS}{{0,3}}(?:apt|apartment|suite|ste|unit|#)\.?{_HS}{{0,3}}#?[a-z0-9-]{{1,10}})?",
            re.I,
        ),
    ),
    ("[address]", re.compile(rf"\bp\.?{_HS}?o\.?{_HS}{{0,3}}box{_HS}{{1,3}}\d{{1,10}}\b", re.I)),
    (
        "[address]",
        re.compile(
            rf"\b(?:rural{_HS}{{1,3}}route|r\.?r\.?|hc)\.?{_HS}{{0,3}}\d{{1,4}},?{_HS}{{1,3}}box"
            rf"{_HS}{{1,3}}\d{{1,6}}\b",
            re.I,
        ),
    ),
]

# A card number: 13 to 19 digits, alone or in groups split by spaces, dots or dashes.
_CARD = re.compile(
    rf"(?<![\d.])\d(?:(?:{_HS}{{0,2}}(?:[.]|{_DASH}){_HS}{{0,2}}|{_HS})?\d){{12,18}}(?![\d])"
)


def luhn_valid(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def _digits(text: str) -> str:
    return "".join(char for char in text if char.isdigit())


def _national(digits: str) -> str:
    """A North American number without its country code: 1-800-222-1222 -> 8002221222."""
    return digits[1:] if len(digits) == 11 and digits.startswith("1") else digits


@lru_cache(maxsize=1)
def _clinic() -> Tuple[FrozenSet[str], str, Tuple[str, ...]]:
    """The numbers never redacted (the clinic's phones, every crisis line of every locale),
    the default phone region (the clinic's country), and extra regions to look for."""
    from clinic_assistant import settings  # only settings: redact stays a leaf of the package

    config = settings.load_clinic()
    texts = [str(value) for value in config.get("clinic", {}).values()]
    for lines in config.get("crisis_resources", {}).values():
        texts += [str(value) for value in lines.values()]
    keep = set()
    for text in texts:
        for run in re.findall(r"[\d(][\d ().-]{5,20}\d", text):
            if len(_digits(run)) >= 7:
                keep.add(_national(_digits(run)))
    locale = str(config.get("locale", "en-US"))
    region = (config.get("redaction") or {}).get("country") or locale.split("-")[-1].upper()
    extra = tuple((config.get("redaction") or {}).get("phone_regions") or ())
    return frozenset(keep), region, extra


def _keep(text: str) -> bool:
    return _national(_digits(text)) in _clinic()[0]


def _replace(token: str) -> Callable[["re.Match"], str]:
    def replacement(match: "re.Match") -> str:
        if token == "[phone]" and _keep(match.group(0)):
            return match.group(0)
        if "pii" not in match.re.groupindex:
            return token
        whole, start, end = (
            match.group(0),
            match.start("pii") - match.start(),
            match.end("pii") - match.start(),
        )
        return whole[:start] + token + whole[end:]

    return replacement


def _cards(text: str) -> str:
    return _CARD.sub(lambda m: "[card]" if luhn_valid(_digits(m.group(0))) else m.group(0), text)


# Where libphonenumber may find a number: 8 to 17 digits, with separators (bounded).
_NUMBER_RUN = re.compile(rf"(?<![\w+])(?:\+|\()?\d(?:{_DIGIT_GAP}\d){{7,16}}(?!\d)")


def _library_phones(text: str, regions: Tuple[str, ...]) -> str:
    """Runs of digits that libphonenumber parses as a valid number of one of `regions`. Only
    the runs found by a bounded pattern are parsed, so the cost stays linear in the text."""

    def found(match: "re.Match") -> str:
        run = match.group(0)
        if _keep(run):
            return run
        for region in regions:
            try:
                if phonenumbers.is_valid_number(phonenumbers.parse(run, region)):
                    return "[phone]"
            except phonenumbers.NumberParseException:
                continue
        # An international number whose "+" was left out (972-54-123-4567): 11 or more digits
        # that begin with a country code and have a possible length for that country.
        digits = _digits(run)
        if len(digits) >= 11 and not run.startswith(("+", "0", "1")):
            try:
                if phonenumbers.is_possible_number(phonenumbers.parse("+" + digits)):
                    return "[phone]"
            except phonenumbers.NumberParseException:
                pass
        return run

    return _NUMBER_RUN.sub(found, text)


def redact(text: str, regions: Optional[Tuple[str, ...]] = None) -> str:
    """`text` with every detected detail replaced by its token.

    Repeated until nothing more matches, so the result never contains a detected pattern
    and redacting twice changes nothing. Each pass removes digits or an "@" and tokens
    have neither, so this ends. `regions`: where phone numbers are looked for (default: the
    clinic's country and clinic.yml's `redaction.phone_regions`)."""
    if regions is None:
        _, region, extra = _clinic()
        regions = (region, *extra)
    return _redact(text, regions)


# A message is redacted several times per turn (its text, the parse's text, the ticket), and
# the tracker store warms this cache from a worker thread so the event loop only looks it up.
@lru_cache(maxsize=256)
def _redact(text: str, regions: Tuple[str, ...]) -> str:
    text = _INVISIBLE_NEAR_DETAIL.sub("", text)
    while True:
        redacted = _cards(text)
        for token, pattern in PATTERNS:
            redacted = pattern.sub(_replace(token), redacted)
        redacted = _library_phones(redacted, regions)
        if redacted == text:
            return text
        text = redacted
