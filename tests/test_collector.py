"""config.collector: bulk work runs with Python's cycle collector paused, and gives it back."""

import gc

import pytest

from config.collector import cycle_collector_paused


@pytest.fixture(autouse=True)
def collector_enabled():
    was_enabled = gc.isenabled()
    gc.enable()
    yield
    if not was_enabled:
        gc.disable()


def test_the_collector_is_paused_inside():
    with cycle_collector_paused():
        assert not gc.isenabled()


def test_the_collector_runs_again_after():
    with cycle_collector_paused():
        pass

    assert gc.isenabled()


def test_the_collector_runs_again_after_an_error():
    with pytest.raises(ValueError), cycle_collector_paused():
        raise ValueError

    assert gc.isenabled()


def test_a_collector_paused_outside_stays_paused():
    gc.disable()
    with cycle_collector_paused():
        pass

    assert not gc.isenabled()
