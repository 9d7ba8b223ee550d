"""The on-disk cache behind a quick `dhr` (issue 17): a hit only for exactly the same inputs, and a broken or
unwritable cache is never an error."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dhr_workflow.core import disk_cache
from dhr_workflow.core.errors import WorkflowDefinitionError
from dhr_workflow.workflow.registry import load_file
from tests.conftest import REPO


@pytest.fixture(autouse=True)
def _own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("DHR_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


def test_a_value_is_built_once_and_then_read_back() -> None:
    calls: list[int] = []

    def build() -> dict[str, int]:
        calls.append(1)
        return {"a": 1}

    assert disk_cache.cached("t", "k", build) == {"a": 1}
    assert disk_cache.cached("t", "k", build) == {"a": 1}
    assert len(calls) == 1
    assert disk_cache.cached("t", "other", build) == {"a": 1}
    assert len(calls) == 2


@settings(max_examples=25, deadline=None)
@given(keys=st.lists(st.text(min_size=1, max_size=30), min_size=1, max_size=6, unique=True))
def test_each_key_gets_its_own_value(keys: list[str]) -> None:
    for key in keys:
        disk_cache.cached("prop", key, lambda k=key: k)  # type: ignore[misc]
    for key in keys:
        assert disk_cache.cached("prop", key, lambda: "rebuilt") == key


def test_a_corrupt_entry_is_rebuilt(_own_cache: Path) -> None:
    disk_cache.cached("t", "k", lambda: 1)
    for entry in _own_cache.iterdir():
        entry.write_bytes(b"not a pickle")
    assert disk_cache.cached("t", "k", lambda: 2) == 2
    assert disk_cache.cached("t", "k", lambda: 3) == 2


def test_an_unwritable_cache_directory_still_answers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    monkeypatch.setenv("DHR_CACHE_DIR", str(blocker / "cache"))  # under a file: cannot be created
    assert disk_cache.cached("t", "k", lambda: 5) == 5
    assert disk_cache.cached("t", "k", lambda: 6) == 6


def test_an_edited_workflow_file_is_parsed_again_never_served_stale(tmp_path: Path) -> None:
    path = tmp_path / "dhr.yaml"
    shutil.copy(REPO / "workflows" / "dhr.yaml", path)
    first = load_file(path)
    assert load_file(path) == first
    path.write_text(path.read_text(encoding="utf-8").replace(f'version: "{first.version}"', 'version: "9.9"', 1))
    assert load_file(path).version == "9.9"
    path.write_text(path.read_text(encoding="utf-8").replace("initial:", "initial: nowhere\nx_initial:", 1))
    with pytest.raises(WorkflowDefinitionError):
        load_file(path)


def test_cached_bank_holidays_are_the_packages(monkeypatch: pytest.MonkeyPatch) -> None:
    import holidays

    from dhr_workflow.core import holiday_calendar

    holiday_calendar.package_holidays.cache_clear()  # the per-process layer in front of the disk
    expected = frozenset(holidays.country_holidays("GB", subdiv="ENG", years=2027))
    assert holiday_calendar.package_holidays(2027) == expected
    holiday_calendar.package_holidays.cache_clear()
    monkeypatch.setattr(holiday_calendar, "_build_holidays", lambda year: pytest.fail("not read from the cache"))
    assert holiday_calendar.package_holidays(2027) == expected
    assert date(2027, 12, 27) in expected  # Boxing Day substitute


@pytest.mark.parametrize("package", ["holidays", "sqlalchemy", "rich"])
def test_a_package_version_read_beside_it_is_the_installed_version(package: str) -> None:
    from importlib.metadata import version

    assert disk_cache.installed_version(package) == version(package)
    assert disk_cache.installed_version("no_such_package_here") is None
