"""Large limits are counted in batches, so counting costs little; the limit still holds."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from advisor.web import ratelimit

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_counts():
    ratelimit._local.clear()
    yield
    ratelimit._local.clear()


def test_a_limit_of_300_writes_the_shared_count_once_every_ten_requests():
    with CaptureQueriesContext(connection) as queries:
        results = [ratelimit.hit("token-lookup", "198.51.100.1", 300, 3600) for _ in range(100)]
    assert results == [0] * 100
    writes = [q for q in queries if q["sql"].lstrip().upper().startswith(("UPDATE", "INSERT"))]
    assert len(writes) == 10
    assert len(queries) <= 10 * 6  # a read and a write per batch, not per request


def test_a_batched_limit_still_refuses_the_request_past_it_in_one_process():
    results = [ratelimit.hit("token-lookup", "198.51.100.2", 300, 3600) for _ in range(305)]
    assert results[:300] == [0] * 300
    assert all(retry > 0 for retry in results[300:])


def test_other_processes_counts_are_seen_at_the_next_batch():
    # Another process already used up this client's allowance in the shared count.
    for _ in range(30):
        ratelimit.hit("token-lookup", "198.51.100.3", 300, 3600)
    ratelimit._local.clear()  # this process has seen none of it
    results = [ratelimit.hit("token-lookup", "198.51.100.3", 300, 3600) for _ in range(300)]
    # 30 batches of 10 went to the shared count before; the first batch of this process
    # brings it to 300 + at most one batch.
    assert 0 not in results[-ratelimit.LARGEST_BATCH :]


def test_small_limits_are_counted_request_by_request():
    assert ratelimit.batch_size(59) == 1
    key = "198.51.100.4"
    for _ in range(3):
        assert ratelimit.hit("create-assessment", key, 3, 3600) == 0
    ratelimit._local.clear()  # as in another process
    assert ratelimit.hit("create-assessment", key, 3, 3600) > 0


def test_counts_of_past_windows_are_dropped_from_memory(monkeypatch):
    monkeypatch.setattr(ratelimit, "LOCAL_ENTRIES_BEFORE_PRUNING", 5)
    for n in range(5):
        ratelimit._local[f"ratelimit:x:{n}:0"] = [0, 1, 0]
    ratelimit.hit("token-lookup", "198.51.100.5", 300, 60)
    assert len(ratelimit._local) == 1


def test_memory_for_pending_counts_is_bounded(monkeypatch):
    monkeypatch.setattr(ratelimit, "LOCAL_ENTRIES_BEFORE_PRUNING", 5)
    monkeypatch.setattr(ratelimit, "MOST_LOCAL_ENTRIES", 8)
    for n in range(50):
        ratelimit.hit("token-lookup", f"2001:db8:{n:x}::1", 300, 60)
    assert len(ratelimit._local) <= 8
