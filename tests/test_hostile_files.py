"""Hostile files: entries that are not files, and TOML built to hurt the parser.

Every reader of a user file goes through store/files.read_user_file and
core/toml_guard.loads; these tests plant the bad entry where each reader looks.
"""

from __future__ import annotations

import contextlib
import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gluteterm.core.errors import PlanError
from gluteterm.core.loader import parse_plan
from gluteterm.core.progression import Levels
from gluteterm.core.record import LogError
from gluteterm.core.toml_guard import TomlRefused, _scan, _within_bounds, loads
from gluteterm.store import paths
from gluteterm.store.files import RefusedFile, read_user_file
from gluteterm.store.levels import load_levels
from gluteterm.store.log import read_record
from gluteterm.store.plans import discover, load_plan
from gluteterm.store.settings import load_settings
from tests.support import cli

GOOD_PLAN = 'title = "T"\n[[step]]\nname = "A"\nkind = "release"\nhold = 20\n'
NESTED = "x = " + "[" * 500 + "]" * 500 + "\n"
DOTTED = "a" + ".a" * 40_000 + " = 1\n"


# -- not every file is a file (class 7) ----------------------------------


@pytest.fixture
def no_hang() -> Iterator[None]:
    """Fail, instead of waiting forever, if a read blocks on a FIFO in this process."""

    def expired(_signum: int, _frame: object) -> None:
        raise TimeoutError("a read blocked")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(10)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


@pytest.mark.parametrize("follow", [True, False])
@pytest.mark.usefixtures("no_hang")
def test_a_fifo_is_refused_at_once_and_named(tmp_path: Path, follow: bool) -> None:
    fifo = tmp_path / "pipe.toml"
    os.mkfifo(fifo)
    with pytest.raises(RefusedFile, match="FIFO"):
        read_user_file(fifo, 1000, follow_symlinks=follow)


def test_a_link_to_a_device_is_refused_and_a_link_in_the_log_is_not_followed(
    tmp_path: Path,
) -> None:
    link = tmp_path / "zero.toml"
    link.symlink_to("/dev/zero")
    with pytest.raises(RefusedFile, match="character device"):
        read_user_file(link, 1000)
    good = tmp_path / "good.toml"
    good.write_text("x = 1\n")
    (tmp_path / "link.toml").symlink_to(good)
    assert read_user_file(tmp_path / "link.toml", 1000) == b"x = 1\n"
    with pytest.raises(RefusedFile, match="symbolic link"):
        read_user_file(tmp_path / "link.toml", 1000, follow_symlinks=False)


def test_a_large_file_is_refused_without_reading_it_all(tmp_path: Path) -> None:
    big = tmp_path / "big.toml"
    big.write_bytes(b"#" * 5000)
    with pytest.raises(RefusedFile, match="larger than 4 kB"):
        read_user_file(big, 4000)


def test_a_file_is_read_whole_and_within_the_bound_whatever_its_size_says(
    tmp_path: Path,
) -> None:
    small = tmp_path / "small.toml"
    small.write_bytes(b"x = 1\n")
    assert read_user_file(small, 4000) == b"x = 1\n"
    empty = tmp_path / "empty.toml"
    empty.write_bytes(b"")
    assert read_user_file(empty, 4000) == b""
    # /proc files are regular files whose size says 0: read to their end, bounded.
    status = Path("/proc/self/status")
    if status.is_file() and os.stat(status).st_size == 0:
        assert b"Name:" in read_user_file(status, 1_000_000)
        with pytest.raises(RefusedFile, match="larger than"):
            read_user_file(status, 10)


def test_a_fifo_among_the_plans_does_not_hang_list_and_is_named() -> None:
    user = paths.user_sessions_dir()
    user.mkdir(parents=True)
    os.mkfifo(user / "stuck.toml")
    done = cli("list")
    assert done.returncode == 0
    assert "stuck" in done.stdout and "broken" in done.stdout
    assert "stuck.toml: is a FIFO (named pipe), not a regular file" in done.stderr


def test_fifos_in_the_log_and_pending_folders_do_not_hang_history() -> None:
    paths.log_dir().mkdir(parents=True)
    paths.pending_dir().mkdir(parents=True)
    os.mkfifo(paths.log_dir() / "2026-01-01T00-00-00_x.toml")
    os.mkfifo(paths.pending_dir() / "2026-01-02T00-00-00_y.toml")
    done = cli("history")
    assert done.returncode == 0, done.stderr
    assert "2026-01-01T00-00-00_x.toml: cannot be read: is a FIFO" in done.stderr
    assert "2026-01-02T00-00-00_y.toml" in done.stderr and "FIFO" in done.stderr


@pytest.mark.usefixtures("no_hang")
def test_a_fifo_as_settings_or_levels_gives_defaults_and_a_warning() -> None:
    paths.config_dir().mkdir(parents=True)
    paths.data_dir().mkdir(parents=True)
    os.mkfifo(paths.settings_file())
    os.mkfifo(paths.levels_file())
    settings_, warning = load_settings(paths.settings_file())
    assert not settings_.mute and "FIFO" in warning
    levels, warning, _ = load_levels(paths.levels_file())
    assert levels == Levels() and "FIFO" in warning


def test_a_log_entry_that_is_a_link_is_skipped(tmp_path: Path) -> None:
    target = tmp_path / "elsewhere.toml"
    target.write_text("version = 1\n")
    link = tmp_path / "2026-01-01T00-00-00_x.toml"
    link.symlink_to(target)
    with pytest.raises(LogError, match="symbolic link"):
        read_record(link)


# -- pathological TOML (class 6) ----------------------------------------


@pytest.mark.parametrize("text", [NESTED, "x = " + "{a = " * 300 + "1" + "}" * 300, DOTTED])
def test_pathological_toml_is_refused_fast(text: str) -> None:
    started = time.monotonic()
    with pytest.raises(TomlRefused):
        loads(text)
    assert time.monotonic() - started < 0.5


def test_a_parser_failure_of_any_kind_is_a_refusal() -> None:
    with pytest.raises(TomlRefused, match="could not be read as TOML"):
        loads("x = " + "1" * 5000)  # past Python's int-digits limit: ValueError inside tomllib


def test_brackets_inside_strings_and_comments_do_not_count() -> None:
    text = (
        'a = "' + "[" * 40 + '"\n'
        "b = '" + "{" * 40 + "'\n"
        'c = """\n' + "[" * 40 + '\n"""\n'
        "# " + "[" * 40 + "\n"
        'd = "a.b.' + "." * 100 + '"\n'
    )
    assert loads(text)["a"] == "[" * 40


def _scan_passes(text: str) -> bool:
    try:
        _scan(text)
    except TomlRefused:
        return False
    return True


@settings(max_examples=600, deadline=None)
@given(
    st.text(alphabet="[]{}.=\"'#\\\n a", max_size=300)
    | st.builds(
        lambda parts: "".join(parts),
        st.lists(
            # Runs of openers and dots, so texts reach the bounds (depth 16, 64 dots a line).
            st.sampled_from(
                ["[" * 6, "{" * 5, "]", "}", "." * 20, ".", '"', "'", "#", "\n", "\\", '\\"', "a="]
            ),
            max_size=60,
        ),
    )
)
def test_the_quick_check_answers_as_the_scan_does(text: str) -> None:
    while '"""' in text or "'''" in text:  # multi-line strings always get the scan
        text = text.replace('"""', '" "').replace("'''", "' '")
    assert _within_bounds(text) == _scan_passes(text), repr(text)


def test_the_quick_check_counts_what_the_scan_counts() -> None:
    deep, dotted = "[" * 17 + "]" * 17, "a" + ".a" * 65
    for text, passes in [
        (deep, False),
        ('"' + deep + '"', True),  # inside a string
        ("'" + deep + "'", True),
        ("# " + deep, True),  # in a comment
        ('"unclosed ' + deep, True),  # a basic string runs to the end of its line
        ('"unclosed\n' + deep, False),  # ... and no further
        ('"a\\"' + deep + '"', True),  # an escaped quote does not end it
        ("]" * 20 + "[" * 16, True),  # a stray closer never takes the depth below 0
        ("]" * 20 + "[" * 17, False),
        (dotted, False),
        ("\n".join(["a" + ".a" * 40] * 3), True),  # 120 dots, 40 a line
        ('"' + dotted + '"', True),
    ]:
        assert _within_bounds(text) is passes, text
        assert _scan_passes(text) is passes, text


@pytest.mark.parametrize("text", [NESTED, DOTTED])
def test_every_reader_turns_hostile_toml_into_its_own_error(tmp_path: Path, text: str) -> None:
    plan = tmp_path / "plan.toml"
    plan.write_text(text)
    with pytest.raises(PlanError, match=r"plan\.toml: "):
        load_plan(plan)
    log = tmp_path / "2026-01-01T00-00-00_x.toml"
    log.write_text(text)
    with pytest.raises(LogError, match=r"2026-01-01T00-00-00_x\.toml: "):
        read_record(log)
    settings_file = tmp_path / "config.toml"
    settings_file.write_text(text)
    assert load_settings(settings_file)[1]
    assert load_levels(settings_file)[1]


def test_check_list_and_history_survive_nested_and_dotted_toml() -> None:
    user = paths.user_sessions_dir()
    user.mkdir(parents=True)
    (user / "nested.toml").write_text(NESTED)
    (user / "dotted.toml").write_text(DOTTED)
    paths.log_dir().mkdir(parents=True)
    (paths.log_dir() / "2026-01-01T00-00-00_x.toml").write_text(NESTED)
    (paths.config_dir() / "config.toml").write_text(NESTED)
    listed = cli("list")
    assert listed.returncode == 0 and "Traceback" not in listed.stderr
    assert "nested.toml: line 1: brackets nested" in listed.stderr
    assert "dotted.toml: line 1: more than 64 dots" in listed.stderr
    checked = cli("check", str(user / "nested.toml"), str(user / "dotted.toml"))
    assert checked.returncode == 2 and "Traceback" not in checked.stderr
    history = cli("history")
    assert history.returncode == 0 and "Traceback" not in history.stderr
    assert "brackets nested" in history.stderr
    assert [e.id for e in discover(paths.shipped_sessions_dir(), user) if e.error] == [
        "dotted",
        "nested",
    ]


# -- properties: any text, any shape, a plan or a PlanError, never anything else --

_toml_values = st.recursive(
    st.integers() | st.floats() | st.text(max_size=20) | st.booleans(),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=30,
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet="[]{}=.,\"'#\n abc1-_", max_size=400))
def test_any_toml_ish_text_is_a_plan_or_a_plan_error(text: str) -> None:
    try:
        parse_plan(text, "fuzz.toml", "fuzz")
    except PlanError as exc:
        problems = exc.problems
    else:
        return
    assert all(p.file == "fuzz.toml" for p in problems)


@settings(max_examples=100, deadline=None)
@given(depth=st.integers(1, 2000), opener=st.sampled_from(["[", "{a = "]))
def test_any_nesting_depth_is_a_plan_or_a_plan_error(depth: int, opener: str) -> None:
    closer = "]" if opener == "[" else "}"
    text = GOOD_PLAN + "x = " + opener * depth + "1" + closer * depth + "\n"
    with pytest.raises(PlanError):
        parse_plan(text, "deep.toml", "deep")


@settings(max_examples=15, deadline=None)
@given(keys=st.integers(1, 21_000), dots=st.integers(0, 5_000))
def test_many_keys_and_long_dotted_keys_cost_little(keys: int, dots: int) -> None:
    text = GOOD_PLAN + "".join(f"k{i} = 1\n" for i in range(min(keys, 25_000)))
    text += "z" + ".z" * dots + " = 1\n"
    started = time.monotonic()
    with pytest.raises(PlanError):
        parse_plan(text, "keys.toml", "keys")
    assert time.monotonic() - started < 5.0


@settings(max_examples=100, deadline=None)
@given(st.dictionaries(st.text(min_size=1, max_size=10), _toml_values, max_size=6))
def test_any_plan_shaped_document_is_a_plan_or_a_plan_error(doc: dict[str, object]) -> None:
    import tomli_w

    try:
        text = tomli_w.dumps(doc)
    except (TypeError, ValueError):
        return
    with contextlib.suppress(PlanError):
        parse_plan(text, "doc.toml", "doc")
