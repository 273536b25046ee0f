"""A hundred power cuts in the middle of commits and deliveries lose, corrupt and duplicate nothing."""

import importlib.util
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench" / "store_powercut.py"


def load_bench():
    spec = importlib.util.spec_from_file_location("agora_bench_store_powercut", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
def test_a_hundred_kills_of_the_app_and_the_agent_keep_every_acknowledged_contribution(tmp_path):
    counts, problems = load_bench().run(kills=100, seed=27, folder=tmp_path)

    assert problems == []
    assert counts["kills"] == 100
    # The kills landed in the middle of real work, not in an idle store.
    assert counts["commits acknowledged"] > 100
    assert counts["deliveries acknowledged"] > 100
    assert counts["re-sent after a kill"] > 0
