"""The user's settings (`config.toml`): sound muted or not, voice on or off, the equipment
the session builder last used, and the like.

A broken settings file gives a warning and the defaults, and is never
rewritten: a change made in the app then lasts for this run only, and the
app says why it could not be saved. Saving one setting keeps the file's
comments and every key gluteterm does not know.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from gluteterm.core.checks import bad_value
from gluteterm.store.toml_file import Unreadable, read_table, update

#: More equipment words than this in config.toml are not read (there are six words).
MAX_EQUIPMENT_WORDS = 12
#: The longest phone_bind read (an IPv6 address is at most 45 characters).
MAX_ADDRESS = 64


@dataclass
class Settings:
    mute: bool = False
    voice: bool = False
    figure: bool = True  # the moving figure in the runner (g)
    flash: bool = True  # a short flash of the screen at each change of segment
    #: what the session builder (b on home) was last told the user has: `band`, `roller`...
    equipment: list[str] = field(default_factory=list)
    phone: bool = False  # start the phone page with the app (o in the app; --phone)
    #: the address the phone page listens on ("": the local network's; --phone-bind)
    phone_bind: str = ""


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
        if spec.name not in data:
            continue
        if spec.name == "equipment":
            settings.equipment, problem = _equipment(data["equipment"])
            if problem:
                problems.append(problem)
        elif spec.name == "phone_bind":
            value = data["phone_bind"]
            if isinstance(value, str) and len(value) <= MAX_ADDRESS:
                settings.phone_bind = value.strip()
            else:
                problems.append("'phone_bind' should be an IP address in quotes")
        elif isinstance(data[spec.name], bool):
            setattr(settings, spec.name, data[spec.name])
        else:
            problems.append(f"'{spec.name}': {bad_value('true or false', data[spec.name])}")
    warning = f"settings file {path}: {'; '.join(problems)}; using the default" if problems else ""
    return settings, warning


def _equipment(value: object) -> tuple[list[str], str]:
    """The known equipment words in `value`, and what was wrong with it ("" if nothing)."""
    from gluteterm.core.builder import EQUIPMENT_WORDS  # only when the file names some

    known = ", ".join(EQUIPMENT_WORDS)
    expected = f"a list of at most {MAX_EQUIPMENT_WORDS} words from: {known}"
    if not isinstance(value, list) or len(value) > MAX_EQUIPMENT_WORDS:
        return [], f"'equipment': {bad_value(expected, value)}"
    words = [w for w in value if isinstance(w, str) and w in EQUIPMENT_WORDS]
    if len(words) == len(value):
        return list(dict.fromkeys(words)), ""
    odd = next(w for w in value if not (isinstance(w, str) and w in EQUIPMENT_WORDS))
    return list(dict.fromkeys(words)), f"'equipment': {bad_value(expected, odd)}"


def save_setting(path: Path, key: str, value: bool | list[str]) -> str:
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
