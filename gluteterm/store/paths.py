"""Where gluteterm keeps things: every path comes from here, built on platformdirs.

XDG_CONFIG_HOME and XDG_DATA_HOME are honoured on Linux, so tests and users
can point gluteterm elsewhere.
"""

from __future__ import annotations

from pathlib import Path

from platformdirs import user_cache_path, user_config_path, user_data_path

APP = "gluteterm"
#: The shipped session run when none is named (here, so the command line needs no plans).
DEFAULT_SESSION = "unlock-and-activate"


def config_dir() -> Path:
    """The user's settings and own plans live under here."""
    return user_config_path(APP, appauthor=False)


def data_dir() -> Path:
    """The session log and progression state live under here."""
    return user_data_path(APP, appauthor=False)


def user_sessions_dir() -> Path:
    return config_dir() / "sessions"


def settings_file() -> Path:
    return config_dir() / "config.toml"


def log_dir() -> Path:
    return data_dir() / "log"


def levels_file() -> Path:
    """Each drill's current level, per session."""
    return data_dir() / "levels.toml"


def pending_dir() -> Path:
    """Session records that could not be written to the log wait here."""
    return data_dir() / "pending"


def history_index_file() -> Path:
    """A cache of what every log file holds; rebuilt from the log whenever it is doubtful."""
    return user_cache_path(APP, appauthor=False) / "history-index.json"


def user_drills_dir() -> Path:
    """The user's own drills: a file here shadows the shipped drill of the same id."""
    return config_dir() / "drills"


def shipped_drills_dir() -> Path:
    """The drills that ship with gluteterm, inside the package."""
    return Path(__file__).resolve().parent.parent / "drills"


def shipped_sessions_dir() -> Path:
    """The plans that ship with gluteterm (inside the wheel, or the source tree)."""
    package = Path(__file__).resolve().parent.parent
    installed = package / "sessions"
    return installed if installed.is_dir() else package.parent / "sessions"
