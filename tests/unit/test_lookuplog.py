"""The lookup log's batching writer, on its own: what it holds, when it writes, and that a row
is never lost on a failed write."""

from __future__ import annotations

import threading

import pytest

from appeals.lookuplog import LookupBuffer


class Table:
    """Stands in for the database table: the rows written, in order; can be made to fail."""

    def __init__(self) -> None:
        self.rows: list = []
        self.statements = 0
        self.down = False
        self.written = threading.Event()

    def write(self, rows) -> None:
        if self.down:
            raise ConnectionError("database unavailable")
        self.statements += 1
        self.rows.extend(rows)
        self.written.set()


def test_rows_wait_for_the_interval_then_go_in_one_statement():
    table = Table()
    log = LookupBuffer(table.write, seconds=3600, batch=100, hold_limit=1000)
    for n in range(5):
        assert log.add((n,))
    assert table.rows == [] and len(log) == 5
    assert log.flush() == 5
    assert table.rows == [(0,), (1,), (2,), (3,), (4,)]
    assert table.statements == 1 and len(log) == 0


def test_a_full_batch_wakes_the_writer_thread_at_once():
    table = Table()
    log = LookupBuffer(table.write, seconds=3600, batch=3, hold_limit=1000)
    for n in range(3):
        log.add((n,))
    assert table.written.wait(timeout=5), "the writer thread did not write a full batch"
    assert table.rows == [(0,), (1,), (2,)]


def test_the_writer_thread_writes_a_quiet_process_rows_within_the_interval():
    table = Table()
    log = LookupBuffer(table.write, seconds=0.05, batch=100, hold_limit=1000)
    log.add(("lonely",))
    assert table.written.wait(timeout=5)
    assert table.rows == [("lonely",)]


def test_rows_survive_a_failed_write_and_keep_their_order(caplog):
    table = Table()
    log = LookupBuffer(table.write, seconds=3600, batch=100, hold_limit=1000)
    log.add(("first",))
    table.down = True
    assert log.flush() == 0
    assert log.flush() == 0
    assert caplog.text.count("not written yet") == 1, "an outage is reported once, not at every retry"
    log.add(("second",))
    table.down = False
    assert log.flush() == 2
    assert table.rows == [("first",), ("second",)]
    assert "written again" in caplog.text


def test_past_the_hold_limit_the_caller_must_write_the_row_itself():
    table = Table()
    log = LookupBuffer(table.write, seconds=3600, batch=100, hold_limit=2)
    table.down = True
    assert log.add((1,)) and log.add((2,))
    assert not log.add((3,)), "a third row was accepted past the hold limit"
    assert len(log) == 2


@pytest.mark.parametrize("rows", [0, 1])
def test_flushing_nothing_writes_nothing(rows):
    table = Table()
    log = LookupBuffer(table.write, seconds=3600, batch=100, hold_limit=10)
    for n in range(rows):
        log.add((n,))
    log.flush()
    assert log.flush() == 0
    assert table.statements == rows


def test_a_process_stopping_while_the_database_is_away_spools_its_rows_for_the_next(tmp_path, caplog):
    table = Table()
    table.down = True
    stopping = LookupBuffer(table.write, seconds=3600, batch=100, hold_limit=1000, spool_dir=tmp_path)
    stopping.add(("a",))
    stopping.add(("b",))
    stopping.close(retry_seconds=0.3)
    assert table.rows == [] and len(stopping) == 0
    assert "spooled to" in caplog.text
    assert len(list(tmp_path.glob("lookups-*.json"))) == 1

    table.down = False
    successor = LookupBuffer(table.write, seconds=3600, batch=100, hold_limit=1000, spool_dir=tmp_path)
    assert successor.replay_spool() == 2
    assert table.rows == [["a"], ["b"]]
    assert list(tmp_path.iterdir()) == []
    assert successor.replay_spool() == 0  # written once only


def test_a_spool_that_cannot_be_written_leaves_the_rows_in_the_error_log(tmp_path, caplog):
    table = Table()
    table.down = True
    blocked = tmp_path / "a-file-not-a-folder"
    blocked.write_text("")
    stopping = LookupBuffer(table.write, seconds=3600, batch=100, hold_limit=1000, spool_dir=blocked)
    stopping.add(("2026-11-24T10:00:00+00:00", "web", "2026-000001-5"))
    stopping.close(retry_seconds=0)
    assert "could not be written nor spooled" in caplog.text
    assert '"2026-000001-5"' in caplog.text


def test_a_stopping_process_that_reaches_the_database_writes_everything():
    table = Table()
    stopping = LookupBuffer(table.write, seconds=3600, batch=100, hold_limit=1000)
    for n in range(3):
        stopping.add((n,))
    stopping.close()
    assert table.rows == [(0,), (1,), (2,)]


# The earlier tests' writer threads live on in this process, hence Python's warning about fork.
@pytest.mark.filterwarnings("ignore:This process .* is multi-threaded:DeprecationWarning")
def test_a_forked_child_starts_with_no_rows_of_its_parent(monkeypatch):
    import os

    from appeals import lookuplog

    table = Table()
    parent = LookupBuffer(table.write, seconds=3600, batch=100, hold_limit=1000)
    monkeypatch.setattr(lookuplog, "_buffer", parent)
    parent.add(("parent's",))
    pid = os.fork()
    if pid == 0:  # the child: its copy must hold nothing and have no writer yet
        os._exit(0 if len(lookuplog._buffer) == 0 and lookuplog._buffer._thread is None else 1)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert len(parent) == 1  # the parent still holds, and will write, its own row


def test_a_stop_while_the_writer_is_stuck_spools_its_rows_too(tmp_path):
    table = Table()
    release = threading.Event()

    def stuck_write(rows):
        release.wait(10)  # a write the network swallowed
        table.write(rows)

    log = LookupBuffer(stuck_write, seconds=3600, batch=100, hold_limit=1000, spool_dir=tmp_path)
    log.add(("in flight",))
    writer = threading.Thread(target=log.flush)
    writer.start()
    while not log._in_flight:
        pass
    log.add(("held",))
    log.close(retry_seconds=0.2)
    release.set()
    writer.join()
    (spooled,) = tmp_path.glob("lookups-*.json")
    assert spooled.read_text() == '[["in flight"], ["held"]]'


def test_a_claim_left_by_a_dead_process_and_an_unreadable_file_do_not_strand_rows(tmp_path, caplog):
    from appeals.lookuplog import _HOST

    (tmp_path / f"lookups-1-2.{_HOST}_4194305.claimed").write_text('[["orphan"]]')  # no such pid here
    (tmp_path / "lookups-5-6.other-replica_4194305.claimed").write_text('[["theirs"]]')  # not ours to judge
    (tmp_path / "lookups-3-4.json").write_text('[["cut sh')
    table = Table()
    log = LookupBuffer(table.write, seconds=3600, batch=100, hold_limit=1000, spool_dir=tmp_path)
    assert log.replay_spool() == 1
    assert table.rows == [["orphan"]]
    assert sorted(path.name for path in tmp_path.iterdir()) == [
        "lookups-3-4.bad",
        "lookups-5-6.other-replica_4194305.claimed",
    ]
    assert "unreadable spool file" in caplog.text
