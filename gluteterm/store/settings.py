"""The user's settings (`config.toml`): sound muted or not, voice on or off.

A broken settings file gives a warning and the defaults, and is left alone
until the user changes a setting. Keys gluteterm does not know are kept.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gluteterm.core import toml_guard
from gluteterm.core.limits import MAX_FILE_BYTES
from gluteterm.store.atomic import write_atomic
from gluteterm.store.files import read_user_file


@dataclass
class Settings:
    mute: bool = False
    voice: bool = False


def load_settings(path: Path) -> tuple[Settings, str]:
    """The settings in `path` (defaults if there are none) and a warning, if any."""
    try:
        data = toml_guard.loads(read_user_file(path, MAX_FILE_BYTES).decode("utf-8"))
    except FileNotFoundError:
        return Settings(), ""
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        return Settings(), f"settings file {path} could not be read ({exc}); using defaults"
    settings = Settings()
    problems = []
    for key in ("mute", "voice"):
        if key in data:
            if isinstance(data[key], bool):
                setattr(settings, key, data[key])
            else:
                problems.append(f"'{key}' should be true or false")
    warning = f"settings file {path}: {'; '.join(problems)}; using the default" if problems else ""
    return settings, warning


def save_settings(path: Path, settings: Settings) -> None:
    """Write `settings`, keeping any other keys the file holds."""
    import tomli_w

    data: dict[str, Any] = {}
    try:
        data = toml_guard.loads(read_user_file(path, MAX_FILE_BYTES).decode("utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        data = {}
    data.update(mute=settings.mute, voice=settings.voice)
    write_atomic(path, tomli_w.dumps(data).encode("utf-8"))
