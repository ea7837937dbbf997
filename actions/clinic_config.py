"""The clinic's configuration (clinic.yml): the one place for clinic-specific values."""
import os
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict

import yaml

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PATH = PROJECT_ROOT / "clinic.yml"


@lru_cache(maxsize=None)
def load(path: str = "") -> Dict[str, Any]:
    """Reads the clinic configuration; CLINIC_CONFIG may point at another file."""
    chosen = Path(path or os.environ.get("CLINIC_CONFIG", "") or DEFAULT_PATH)
    with chosen.open(encoding="utf-8") as handle:
        config = yaml.safe_load(handle)
    crisis = config["crisis_resources"][config["locale"]]
    for required in ("emergency", "lifeline"):
        if not crisis.get(required):
            raise ValueError(f"{chosen}: crisis_resources.{config['locale']}.{required} is empty")
    return config


def crisis_resources(config: Dict[str, Any]) -> Dict[str, str]:
    return config["crisis_resources"][config["locale"]]


def slot_values(config: Dict[str, Any]) -> Dict[str, str]:
    """Values that responses interpolate as {clinic_*} and {crisis_*} slots."""
    values = {f"clinic_{key}": str(value) for key, value in config["clinic"].items()}
    values.update(
        {f"crisis_{key}": str(value) for key, value in crisis_resources(config).items()}
    )
    return values


def webhook_url(config: Dict[str, Any]) -> str:
    return os.environ.get("CLINIC_WEBHOOK_URL") or config.get("handoff", {}).get("webhook_url") or ""
