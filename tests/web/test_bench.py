"""The benchmark's own arithmetic, and its load driver against a live server."""

import json

from bench.driver import Measurement, Response
from bench.run import (
    BARE,
    STATIC,
    combine,
    get_step,
    measure_in_rounds,
    pooled,
    row,
    table,
    verdicts,
)


def measured(name: str, *latencies_ms: float, errors: int = 0, wall: float = 1.0) -> Measurement:
    return Measurement(name, [ms / 1000 for ms in latencies_ms], errors=errors, wall=wall)


def test_rounds_of_a_row_pool_into_one_measurement():
    merged = pooled(
        "share page", [measured("share page", 1, 2, errors=1), measured("share page", 3, 4)]
    )
    assert merged.count == 4
    assert merged.errors == 1
    assert merged.wall == 2.0
    assert merged.median_ms == 2.5


def test_a_row_is_compared_with_its_baselines_median():
    figures = row(measured("share page", 4, 5, 6), measured(BARE, 2, 2, 2))
    assert figures["median_ms"] == 5.0
    assert figures["ratio_to_baseline"] == 2.5
    assert "ratio_to_baseline" not in row(measured(BARE, 2), None)


def test_targets_are_met_up_to_their_limit_and_missed_beyond_it():
    rows = {
        BARE: {"median_ms": 2.0},
        "share page": {"median_ms": 4.0, "ratio_to_baseline": 2.0},
        "recommendation page": {"median_ms": 4.2, "ratio_to_baseline": 2.1},
        "cached PDF download": {"median_ms": 5.0, "ratio_to_baseline": 2.5},
    }
    found = verdicts(rows)
    assert found["share page"]["met"] is True
    assert found["recommendation page"]["met"] is False
    assert found["cached PDF download"] == {
        "baseline": STATIC,
        "limit": 1.5,
        "ratio": 2.5,
        "met": False,
    }
    assert "wizard step GET" not in found  # not measured, not judged


def test_the_table_shows_each_row_with_its_ratio_and_target():
    rows = {
        BARE: row(measured(BARE, 2), None),
        "share page": row(measured("share page", 5), measured(BARE, 2)),
    }
    lines = table("HTTP", rows).splitlines()
    assert lines[0] == "HTTP"
    assert lines[2].startswith(BARE) and lines[2].split()[-2:] == ["-", "0"]
    assert lines[3].split()[-3:] == ["2.50", "2x", "0"]


def test_result_files_combine_under_their_database(tmp_path):
    sqlite, postgresql = tmp_path / "a.json", tmp_path / "b.json"
    sqlite.write_text(json.dumps({"database": "sqlite", "engine": {"median_ms": 1}}))
    postgresql.write_text(json.dumps({"database": "postgresql", "scale": {}}))
    combined = combine([str(sqlite), str(postgresql)])
    assert combined == {
        "sqlite": {"database": "sqlite", "engine": {"median_ms": 1}},
        "postgresql": {"database": "postgresql", "scale": {}},
    }


def test_a_step_that_reports_its_own_time_is_counted_by_it(live_server):
    def make(client, _index):
        def step():
            response = client.request("GET", "/ping/")
            return Response(response.status, response.headers, response.body, elapsed=0.5)

        return step

    figures = measure_in_rounds(
        live_server.url,
        {"timed": (make, (200,)), "bare": (get_step("/ping/"), (200,))},
        concurrency=2,
        requests=4,
        rounds=2,
    )
    assert figures["timed"].count == figures["bare"].count == 8
    assert figures["timed"].median_ms == 500
    assert figures["bare"].median_ms < 500
    assert figures["timed"].errors == figures["bare"].errors == 0
