"""A corpus of broken plans: each gets a clear message, exit 2, and a broken entry at home."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import OptionList

from gluteterm.cli.main import main
from gluteterm.store import paths
from gluteterm.ui.screens.home import HomeScreen
from tests.support import FakeClock, build_app, wait_for_workers

OK_STEP = '[[step]]\nname = "Roll"\nkind = "release"\nhold = 30\n'


def step(body: str) -> bytes:
    return f'title = "T"\n[[step]]\nname = "Bridge"\n{body}\n'.encode()


# name: (file content, fragments the message must hold)
CORPUS: dict[str, tuple[bytes, list[str]]] = {
    "syntax-unclosed-string": (b'title = "oops\n', ["not valid TOML", "line 1"]),
    "syntax-no-equals": (b'title "x"\n', ["not valid TOML", "line 1, column"]),
    "syntax-duplicate-key": (
        b'title = "a"\ntitle = "b"\n' + OK_STEP.encode(),
        ["not valid TOML", "line 2"],
    ),
    "empty": (b"", ["'title': is missing", "no steps"]),
    "only-comments": (b"# nothing here\n", ["'title': is missing"]),
    "no-steps": (b'title = "T"\n', ["'step'", "no steps"]),
    "step-not-a-table": (b'title = "T"\nstep = "squat"\n', ["'step'", "expected [[step]] tables"]),
    "title-is-a-table": (
        b"[title]\nx = 1\n" + OK_STEP.encode(),
        ["'title'", "expected text, found a table"],
    ),
    "hold-text": (
        step('kind = "release"\nhold = "45"'),
        ["step 1 (Bridge)", "'hold'", "found text '45'"],
    ),
    "hold-zero": (
        step('kind = "release"\nhold = 0'),
        ["step 1 (Bridge)", "'hold'", "from 1 to 600, found 0"],
    ),
    "hold-negative": (step('kind = "release"\nhold = -10'), ["'hold'", "found -10"]),
    "hold-huge": (step('kind = "release"\nhold = 100000'), ["'hold'", "found 100000"]),
    "hold-fraction": (step('kind = "release"\nhold = 4.5'), ["'hold'", "found the fraction 4.5"]),
    "reps-fraction": (step('kind = "stability"\nreps = 2.5'), ["'reps'", "fraction 2.5"]),
    "reps-zero": (step('kind = "stability"\nreps = 0'), ["'reps'", "from 1 to 100, found 0"]),
    "sets-zero": (step('kind = "stability"\nreps = 5\nsets = 0'), ["'sets'", "found 0"]),
    "sets-huge": (step('kind = "stability"\nreps = 5\nsets = 1000'), ["'sets'", "found 1000"]),
    "rest-negative": (step('kind = "stability"\nreps = 5\nrest = -1'), ["'rest'", "found -1"]),
    "prepare-fraction": (
        b'title = "T"\nprepare = 2.5\n' + OK_STEP.encode(),
        ["'prepare'", "fraction 2.5"],
    ),
    "hold-infinite": (step('kind = "release"\nhold = inf'), ["'hold'", "found infinity"]),
    "hold-overflowing": (step('kind = "release"\nhold = 1e400'), ["'hold'", "found infinity"]),
    "hold-nan": (step('kind = "release"\nhold = nan'), ["'hold'", "found nan (not a number)"]),
    "tempo-text": (
        step('kind = "stability"\nreps = 5\ntempo = "slow"'),
        ["'tempo'", "found text 'slow'"],
    ),
    "per-side-text": (
        step('kind = "release"\nhold = 5\nper_side = "yes"'),
        ["'per_side'", "expected true or false"],
    ),
    "unknown-kind": (step('kind = "yoga"\nhold = 5'), ["'kind'", "expected one of release"]),
    "kind-typo": (step('kind = "stabilty"\nreps = 5'), ["'kind'", "did you mean 'stability'"]),
    "kind-number": (step("kind = 3\nreps = 5"), ["'kind'", "found 3"]),
    "unknown-key": (
        step('kind = "stability"\nrpes = 5\nreps = 5'),
        ["'rpes'", "did you mean 'reps'"],
    ),
    "unknown-top-key": (
        b'titel = "T"\ntitle = "T"\n' + OK_STEP.encode(),
        ["'titel'", "did you mean 'title'"],
    ),
    "hold-and-reps": (
        step('kind = "stability"\nreps = 5\nhold = 5'),
        ["step 1 (Bridge)", "both 'hold' and 'reps'"],
    ),
    "neither-hold-nor-reps": (step('kind = "stability"'), ["step 1 (Bridge)", "needs 'hold'"]),
    "missing-name": (
        b'title = "T"\n[[step]]\nkind = "release"\nhold = 5\n',
        ["step 1", "'name': is missing"],
    ),
    "missing-kind": (step("hold = 5"), ["'kind': is missing"]),
    "very-long-name": (
        f'title = "T"\n[[step]]\nname = "{"x" * 500}"\nkind = "release"\nhold = 5\n'.encode(),
        ["'name'", "at most 80 characters, found 500"],
    ),
    "multi-line-cue": (
        step('kind = "release"\nhold = 5\ncue = """one\ntwo"""'),
        ["'cue'", "one line"],
    ),
    "thousands-of-steps": (
        b'title = "T"\n' + OK_STEP.encode() * 5000,
        ["'step'", "at most 100 steps, found 5000"],
    ),
    "stretch-too-long": (
        b'title = "T"\n[[step]]\nname = "Hip flexor"\nkind = "stretch"\nhold = 45\nsets = 2\nper_side = true\n'
        + OK_STEP.encode(),
        ["step 1 (Hip flexor)", "'hold'", "90 s per side", "60 s limit"],
    ),
    "equipment-not-a-list": (
        step('kind = "release"\nhold = 5\nequipment = "band"'),
        ["'equipment'", "list of text"],
    ),
    "levels-with-empty": (
        step('kind = "release"\nhold = 5\nlevels = ["a", ""]'),
        ["'levels'", "non-empty"],
    ),
    "not-utf8": (
        'title = "Étirement"\n'.encode("latin-1") + OK_STEP.encode(),
        ["not UTF-8 text", "byte 0xc9"],
    ),
    "utf16": ('title = "T"\n'.encode("utf-16"), ["binary file"]),
    "binary-png": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", ["binary file"]),
}


def test_the_corpus_has_at_least_thirty_broken_plans() -> None:
    assert len(CORPUS) >= 30


@pytest.fixture
def corpus_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    for name, (content, _) in CORPUS.items():
        (folder / f"{name}.toml").write_bytes(content)
    return folder


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_check_and_run_explain_and_exit_2(
    name: str, corpus_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = corpus_dir / f"{name}.toml"
    for command in (["check", str(path)], ["run", str(path)]):
        assert main(command) == 2
        err = capsys.readouterr().err
        assert str(path) in err, err
        for fragment in CORPUS[name][1]:
            assert fragment in err, f"{fragment!r} not in {err!r}"
        assert "Traceback" not in err


@pytest.mark.parametrize("target", ["folder", "missing"])
def test_a_folder_or_a_missing_path(
    target: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path if target == "folder" else tmp_path / "nope.toml"
    for command in (["check", str(path)], ["run", str(path) + ("/" if target == "folder" else "")]):
        assert main(command) == 2
        err = capsys.readouterr().err
        assert ("is a folder" if target == "folder" else "no such file") in err


def test_an_unreadable_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "locked.toml"
    path.write_text('title = "T"\n' + OK_STEP)
    real_open = os.open

    def guarded(name: object, *args: Any, **kwargs: Any) -> int:
        if Path(str(name)) == path:
            raise PermissionError(13, "Permission denied")
        return real_open(name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", guarded)  # tests run as root: chmod would not stop a read
    assert main(["check", str(path)]) == 2
    assert f"{path}: cannot be read: permission denied" in capsys.readouterr().err


async def test_every_broken_plan_is_listed_at_home_with_its_message(corpus_dir: Path) -> None:
    user = paths.user_sessions_dir()
    user.mkdir(parents=True)
    for file in corpus_dir.iterdir():
        (user / file.name).write_bytes(file.read_bytes())
    app = build_app(FakeClock())
    async with app.run_test(size=(100, 40)) as pilot:
        await wait_for_workers(pilot)
        screen = app.screen
        assert isinstance(screen, HomeScreen)
        options = screen.query_one(OptionList)
        prompts = {
            options.get_option_at_index(i).id: str(options.get_option_at_index(i).prompt)
            for i in range(options.option_count)
        }
        for name in CORPUS:
            assert "BROKEN" in prompts[name], name
        # the details pane gives the full message for the highlighted broken plan
        options.highlighted = list(prompts).index("hold-zero")
        await pilot.pause()
        details = str(screen.query_one("#details-text").content)  # type: ignore[attr-defined]
        assert "step 1 (Bridge)" in details and "'hold'" in details and "found 0" in details
        await pilot.press("enter")  # starting it explains, never crashes
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
