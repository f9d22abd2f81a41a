"""Where gluteterm keeps things: every path comes from here, built on platformdirs.

`Folders` is every folder and file the app uses, laid out under three roots
(config, data, cache) and the shipped folders inside the package. A `Store` is
handed one: `Folders.default()` for the user's real folders (XDG_CONFIG_HOME,
XDG_DATA_HOME and XDG_CACHE_HOME are honoured on Linux), `Folders.under(...)`
for any other roots (tests give temporary ones).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from platformdirs import user_cache_path, user_config_path, user_data_path

APP = "gluteterm"
#: The shipped session run when none is named (here, so the command line needs no plans).
DEFAULT_SESSION = "unlock-and-activate"


@dataclass(frozen=True)
class Folders:
    """Every folder and file gluteterm reads or writes."""

    #: The plans and drills that ship with gluteterm (read only).
    shipped_sessions: Path
    shipped_drills: Path
    #: The user's own plans and drills; a file here shadows a shipped one of the same id.
    user_sessions: Path
    user_drills: Path
    settings_file: Path
    #: The session log, and records that could not be written to it yet.
    log_dir: Path
    pending_dir: Path
    #: Each ladder's current level.
    levels_file: Path
    #: A cache of what every log file holds; rebuilt from the log whenever it is doubtful.
    index_file: Path
    #: What `gluteterm history` printed, for the same log listing (`store/history_summary.py`).
    summary_file: Path

    @classmethod
    def under(
        cls,
        config: Path,
        data: Path,
        cache: Path,
        *,
        shipped_sessions: Path | None = None,
        shipped_drills: Path | None = None,
    ) -> Folders:
        """The usual layout under these three roots (the shipped folders unless given)."""
        return cls(
            shipped_sessions=shipped_sessions or shipped_sessions_dir(),
            shipped_drills=shipped_drills or shipped_drills_dir(),
            user_sessions=config / "sessions",
            user_drills=config / "drills",
            settings_file=config / "config.toml",
            log_dir=data / "log",
            pending_dir=data / "pending",
            levels_file=data / "levels.toml",
            index_file=cache / "history-index.json",
            summary_file=cache / "history-summary.json",
        )

    @classmethod
    def default(cls) -> Folders:
        """The user's real folders, from platformdirs."""
        return cls.under(config_dir(), data_dir(), cache_dir())


def config_dir() -> Path:
    """The user's settings and own plans live under here."""
    return user_config_path(APP, appauthor=False)


def data_dir() -> Path:
    """The session log and progression state live under here."""
    return user_data_path(APP, appauthor=False)


def cache_dir() -> Path:
    """What can be rebuilt from the rest lives under here."""
    return user_cache_path(APP, appauthor=False)


def user_sessions_dir() -> Path:
    return Folders.default().user_sessions


def settings_file() -> Path:
    return Folders.default().settings_file


def log_dir() -> Path:
    return Folders.default().log_dir


def levels_file() -> Path:
    """Each drill's current level, per session."""
    return Folders.default().levels_file


def pending_dir() -> Path:
    """Session records that could not be written to the log wait here."""
    return Folders.default().pending_dir


def history_index_file() -> Path:
    """A cache of what every log file holds; rebuilt from the log whenever it is doubtful."""
    return Folders.default().index_file


def user_drills_dir() -> Path:
    """The user's own drills: a file here shadows the shipped drill of the same id."""
    return Folders.default().user_drills


def shipped_drills_dir() -> Path:
    """The drills that ship with gluteterm, inside the package."""
    return Path(__file__).resolve().parent.parent / "drills"


def shipped_sessions_dir() -> Path:
    """The plans that ship with gluteterm (inside the wheel, or the source tree)."""
    package = Path(__file__).resolve().parent.parent
    installed = package / "sessions"
    return installed if installed.is_dir() else package.parent / "sessions"
