"""Writes clinic.yml's values into a domain file as slots with initial values.

Responses interpolate these slots ({clinic_phone}, {crisis_lifeline}, ...), so the
Rasa server fills them itself: the crisis reply needs no action server.
"""
import sys
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from actions import clinic_config  # noqa: E402

HEADER = "# Generated from clinic.yml by scripts/render_clinic_domain.py. Do not edit.\n"


def render(config_path: str, out_path: str) -> None:
    values = clinic_config.slot_values(clinic_config.load(config_path))
    slots = {
        name: {
            "type": "any",
            "initial_value": value,
            "influence_conversation": False,
            "mappings": [{"type": "custom"}],
        }
        for name, value in sorted(values.items())
    }
    out = Path(out_path)
    out.parent.mkdir(parents=True, exist_ok=True)
    body = yaml.safe_dump({"version": "3.1", "slots": slots}, sort_keys=False, allow_unicode=True)
    out.write_text(HEADER + body, encoding="utf-8")


if __name__ == "__main__":
    render(sys.argv[1], sys.argv[2])
