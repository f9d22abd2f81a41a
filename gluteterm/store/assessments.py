"""Assessment logs on disk: `<time>_assessment.toml` in the session log folder.

Each assessment is written once, atomically, under a name claimed without
clobbering (as session logs are). When the log folder cannot be written it
goes to the pending folder (the private fallback as a last resort), as a
session does, and moves into the log at the next start. The session history
skips these files by name (`is_assessment_file`); only this module reads them.
"""

from __future__ import annotations

import contextlib
import os
import tomllib
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from gluteterm.core import toml_guard
from gluteterm.core.assessment import AssessmentError, AssessmentResult
from gluteterm.core.limits import MAX_FILE_BYTES
from gluteterm.store.atomic import create_atomic
from gluteterm.store.files import read_user_file
from gluteterm.store.log import SaveResult, assessment_file_name
from gluteterm.store.log_files import ASSESSMENT_FILE
from gluteterm.store.pending import PRIVATE_FILE_MODE, pending_folders

#: `2026-11-24T18-03-12_assessment.toml`, or `..._assessment-2.toml` when that name was taken.
#: Assessments read at most (one a week for twenty years is about 1,000).
MAX_ASSESSMENTS = 2000
#: How far ahead of this computer's clock an assessment may be dated (time zones,
#: a second machine whose clock runs fast) and still count.
FUTURE_SLACK = timedelta(days=1)


def is_assessment_file(name: str) -> bool:
    """True for an assessment log's file name (the session history leaves these out)."""
    return ASSESSMENT_FILE.fullmatch(name) is not None


@dataclass
class Assessments:
    """Every readable assessment, newest first, and what could not be read."""

    results: list[AssessmentResult] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    #: Older files left unread past `MAX_ASSESSMENTS` (counted, and said in `problems`).
    not_read: int = 0

    @property
    def last(self) -> AssessmentResult | None:
        """The newest finished assessment: a partial one never decides anything."""
        return next((r for r in self.results if not r.partial), None)


def encode(result: AssessmentResult) -> bytes:
    import tomli_w

    return tomli_w.dumps(result.to_toml()).encode("utf-8")


def claim_file(
    folder: Path, result: AssessmentResult, data: bytes, mode: int | None = None
) -> Path:
    """Write `data` as a new assessment file in `folder`; never overwrites. Raises OSError."""
    for attempt in range(1, 1000):
        path = folder / assessment_file_name(result.taken, attempt)
        if create_atomic(path, data, mode):
            return path
    raise OSError(f"no free file name for an assessment in {folder}")


def save_assessment(log_dir: Path, pending_dir: Path, result: AssessmentResult) -> SaveResult:
    """Write `result` as a new file in `log_dir`, or else in a pending folder.

    Never overwrites. The result says where it went (`.path`, None if nowhere
    could be written), whether that is a pending folder and why (`.problem`).
    """
    data = encode(result)
    try:
        return SaveResult(claim_file(log_dir, result, data))
    except OSError as exc:
        problem = f"could not save to {log_dir}: {exc.strerror or exc}"
    with contextlib.suppress(OSError):
        pending_dir.parent.mkdir(parents=True, exist_ok=True)
        pending_dir.mkdir(mode=0o700, exist_ok=True)
    for folder in pending_folders(pending_dir, create=True):
        mode = PRIVATE_FILE_MODE if folder != pending_dir else None
        try:
            return SaveResult(claim_file(folder, result, data, mode), pending=True, problem=problem)
        except OSError:
            continue
    return SaveResult(None, pending=True, problem=problem + "; and nowhere else was writable")


def read_assessment(path: Path) -> AssessmentResult:
    """Read one assessment file; raise `AssessmentError` (naming it) if it cannot be used."""
    file = str(path)
    try:
        # Only gluteterm writes log files, as regular files: a link there is refused.
        data = read_user_file(path, MAX_FILE_BYTES, follow_symlinks=False)
    except OSError as exc:
        raise AssessmentError(f"{file}: cannot be read: {exc.strerror or exc}") from None
    try:
        document = toml_guard.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise AssessmentError(f"{file}: not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise AssessmentError(f"{file}: {exc}") from None  # it says "not valid TOML"
    return AssessmentResult.from_toml(document, file)


def load_assessments(log_dir: Path, now: datetime | None = None) -> Assessments:
    """Every assessment in `log_dir`, newest first; unreadable ones are named in `problems`.

    One dated after `now` (this computer's clock unless given) by more than a
    day is left out and named: a clock set wrong, here or on a machine the log
    is synced from, must not make it the "last" assessment for years.
    """
    latest = (now or datetime.now(UTC)) + FUTURE_SLACK
    found = Assessments()
    try:
        names = sorted((e.name for e in os.scandir(log_dir) if is_assessment_file(e.name)),
                       reverse=True)  # fmt: skip
    except FileNotFoundError:
        return found
    except OSError as exc:
        found.problems.append(f"the log folder {log_dir} cannot be read: {exc.strerror or exc}")
        return found
    for name in names[:MAX_ASSESSMENTS]:
        try:
            result = read_assessment(log_dir / name)
        except AssessmentError as exc:
            found.problems.append(f"skipped {exc}")
            continue
        if result.taken > latest:
            found.problems.append(
                f"skipped {result.file}: dated {result.taken:%Y-%m-%d %H:%M}, after today;"
                " check the clock of the computer that took it"
            )
            continue
        found.results.append(result)
    found.not_read = max(0, len(names) - MAX_ASSESSMENTS)
    if found.not_read:
        found.problems.insert(
            0,
            f"{found.not_read} older assessment files in {log_dir} were not read: "
            f"only the newest {MAX_ASSESSMENTS} are",
        )
    found.results.sort(key=lambda r: (r.taken, r.file), reverse=True)
    return found
