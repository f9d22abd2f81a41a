"""The user's settings (`config.toml`): sound muted or not, voice on or off, and the like.

A broken settings file gives a warning and the defaults, and is never
rewritten: a change made in the app then lasts for this run only, and the
app says why it could not be saved. Saving one setting keeps the file's
comments and every key gluteterm does not know.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from gluteterm.store.toml_file import Unreadable, read_table, update


@dataclass
class Settings:
    mute: bool = False
    voice: bool = False
    figure: bool = True  # the moving figure in the runner (g)
    flash: bool = True  # a short flash of the screen at each change of segment


def load_settings(path: Path) -> tuple[Settings, str]:
    """The settings in `path` (defaults if there are none) and a warning, if any."""
    try:
        data = read_table(path)
    except Unreadable as exc:
        return Settings(), f"settings file {exc}; using the defaults"
    settings = Settings()
    if data is None:
        return settings, ""
    problems = []
    for spec in fields(Settings):
        if spec.name in data:
            if isinstance(data[spec.name], bool):
                setattr(settings, spec.name, data[spec.name])
            else:
                problems.append(f"'{spec.name}' should be true or false")
    warning = f"settings file {path}: {'; '.join(problems)}; using the default" if problems else ""
    return settings, warning


def save_setting(path: Path, key: str, value: bool) -> str:
    """Set one key in `path`, keeping everything else; "" when saved, else why not."""

    def change(document: dict[str, Any]) -> None:
        document[key] = value

    try:
        update(path, change)
    except Unreadable as exc:
        return f"not saved: {exc}. It applies until you quit."
    except OSError as exc:
        return f"not saved to {path}: {exc.strerror or exc}. It applies until you quit."
    return ""
