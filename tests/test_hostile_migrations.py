"""Migrations keep the old file (issue 22, class 4).

A version 1 levels.toml is rewritten as version 2 only after its exact text is
kept beside it under a name nothing else has: levels.v1.toml, else
levels.v1-2.toml, ... each created exclusively. A file, folder or link already
there is never replaced or followed; if nothing can be kept, nothing is migrated.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from gluteterm.store import levels as levels_store
from tests.support import make_store
from tests.test_ladders import V1

COMMENTED = "# my levels, by hand\n" + V1


def in_the_way(folder: Path, kind: str) -> str:
    """Put a `kind` of thing at levels.v1.toml; what must still be there afterwards."""
    taken = folder / "levels.v1.toml"
    if kind == "file":
        taken.write_text("# an older backup of mine\n")
        return taken.read_text()
    if kind == "folder":
        taken.mkdir()
        (taken / "inside.txt").write_text("mine")
        return "folder"
    target = folder / "elsewhere.toml"
    target.write_text("# a file the link points at\n")
    taken.symlink_to(target)
    return "link"


@pytest.mark.parametrize("kind", ["file", "folder", "link"])
def test_the_old_text_is_kept_under_a_free_name_whatever_is_in_the_way(kind: str) -> None:
    store = make_store()
    folder = store.levels_file.parent
    folder.mkdir(parents=True)
    store.levels_file.write_text(COMMENTED)
    before = in_the_way(folder, kind)
    levels, problem = store.levels()
    assert problem == "" and levels.ladders["glute-bridge"] == "single-leg-bridge"
    assert "version = 2" in store.levels_file.read_text()
    kept = folder / "levels.v1-2.toml"
    assert kept.read_text() == COMMENTED  # every byte, the comment too
    taken = folder / "levels.v1.toml"
    if kind == "file":
        assert taken.read_text() == before
    elif kind == "folder":
        assert (taken / "inside.txt").read_text() == "mine"
    else:
        assert taken.is_symlink()
        assert (folder / "elsewhere.toml").read_text() == "# a file the link points at\n"


def test_the_next_free_name_is_taken_when_several_are_in_the_way() -> None:
    store = make_store()
    folder = store.levels_file.parent
    folder.mkdir(parents=True)
    store.levels_file.write_text(COMMENTED)
    for name in ("levels.v1.toml", "levels.v1-2.toml", "levels.v1-3.toml"):
        (folder / name).write_text(f"# {name}\n")
    store.levels()
    assert (folder / "levels.v1-4.toml").read_text() == COMMENTED
    assert (folder / "levels.v1-2.toml").read_text() == "# levels.v1-2.toml\n"


def test_when_the_old_text_cannot_be_kept_nothing_is_migrated(monkeypatch: Any) -> None:
    store = make_store()
    folder = store.levels_file.parent
    folder.mkdir(parents=True)
    store.levels_file.write_text(COMMENTED)
    monkeypatch.setattr(levels_store, "MAX_BACKUPS", 2)
    for name in ("levels.v1.toml", "levels.v1-2.toml"):
        os.symlink("/nonexistent", folder / name)
    levels, problem = store.levels()
    assert "was not updated to the new format" in problem and "left as it is" in problem
    assert store.levels_file.read_text() == COMMENTED  # untouched
    assert levels.ladders["glute-bridge"] == "single-leg-bridge"  # read as before


def test_a_failure_to_keep_it_names_the_file_and_migrates_nothing(monkeypatch: Any) -> None:
    store = make_store()
    store.levels_file.parent.mkdir(parents=True)
    store.levels_file.write_text(COMMENTED)

    def full(path: Path, _data: bytes, _mode: int | None = None) -> bool:
        raise OSError(28, "No space left on device", str(path))

    monkeypatch.setattr("gluteterm.store.atomic.create_atomic", full)
    _, problem = store.levels()
    assert "No space left on device" in problem and "levels.v1.toml" in problem
    assert store.levels_file.read_text() == COMMENTED
