"""The collector is paused while a PDF is made (ADR 0059): off inside, back on afterwards with the render's cyclic
garbage freed, shared by overlapping renders, and left off when someone else had turned it off."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import pytest

from dhr_workflow.documents.pdf import to_pdf
from dhr_workflow.documents.pdf_collector import collector_paused

pytestmark = pytest.mark.single_db


class _Node:
    def __init__(self) -> None:
        self.itself = self  # a cycle: only the collector can free it


@pytest.fixture
def collector_on() -> Iterator[None]:
    was = gc.isenabled()
    gc.enable()
    yield
    if not was:
        gc.disable()


def test_the_collector_is_off_while_rendering_and_on_again_with_the_cycles_freed(collector_on: None) -> None:
    with collector_paused():
        assert not gc.isenabled()
        node = _Node()
        gone = weakref.ref(node)
        del node
        assert gone() is not None  # paused: the cycle waits
    assert gc.isenabled()
    assert gone() is None


def test_overlapping_renders_share_one_pause(collector_on: None) -> None:
    with collector_paused():
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outer render is still going
    assert gc.isenabled()


def test_a_collector_turned_off_elsewhere_stays_off() -> None:
    was = gc.isenabled()
    gc.disable()
    try:
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        if was:
            gc.enable()


def test_the_collector_is_back_on_after_a_pdf_and_after_a_failed_one(collector_on: None) -> None:
    assert to_pdf("<html lang='en'><head><title>T</title></head><body><p>One</p></body></html>").startswith(b"%PDF")
    assert gc.isenabled()
    with pytest.raises(ZeroDivisionError), collector_paused():
        raise ZeroDivisionError
    assert gc.isenabled()
