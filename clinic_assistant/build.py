"""Writes the files generated from clinic.yml and the topic catalogue (content/topics.yml).

    python -m clinic_assistant.build

`make` runs it whenever an input changes, before `rasa data validate`, `rasa train` and the
tests. The outputs are git-ignored build products; edit their sources instead:
    domain/generated/clinic.yml   clinic.yml's values as slots with initial values. Responses
                                  interpolate them ({clinic_phone}, {crisis_lifeline}, ...), so
                                  the Rasa server fills them itself: the crisis reply needs no
                                  action server.
    domain/generated/topics.yml   every topic id of the catalogue as an intent.
    data/generated/faq.yml        one rule per educate topic: intent -> utter_<id>.
"""

import sys
from pathlib import Path
from typing import Any, Dict, List

import yaml

from clinic_assistant import catalogue, settings

ROOT = settings.PROJECT_ROOT
CLINIC_DOMAIN = ROOT / "domain" / "generated" / "clinic.yml"
TOPICS_DOMAIN = ROOT / "domain" / "generated" / "topics.yml"
FAQ_RULES = ROOT / "data" / "generated" / "faq.yml"


def header(source: str) -> str:
    return f"# Generated from {source} by `python -m clinic_assistant.build` (make). Do not edit.\n"


def clinic_domain(config: Dict[str, Any]) -> Dict[str, Any]:
    slots = {
        name: {
            "type": "any",
            "initial_value": value,
            "influence_conversation": False,
            "mappings": [{"type": "custom"}],
        }
        for name, value in sorted(settings.slot_values(config).items())
    }
    return {"version": "3.1", "slots": slots}


def write(path: Path, source: str, content: Dict[str, Any]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    body = yaml.safe_dump(content, sort_keys=False, allow_unicode=True)
    path.write_text(header(source) + body, encoding="utf-8")
    return path


def build() -> List[Path]:
    return [
        write(CLINIC_DOMAIN, "clinic.yml", clinic_domain(settings.load_clinic())),
        write(TOPICS_DOMAIN, "content/topics.yml", catalogue.domain()),
        write(FAQ_RULES, "content/topics.yml", catalogue.faq_rules()),
    ]


def main() -> int:
    for path in build():
        print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
