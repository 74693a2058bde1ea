"""An engine whose threads have run keeps working in a forked child.

Rayon's worker threads do not survive ``fork``; an ``Engine(threads=2)`` that
had answered a matrix used to hang forever in the child (``multiprocessing``'s
default start method on Linux before Python 3.14). Every wait here has a
timeout, so a hang fails the test instead of stalling the suite.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import time

import pytest

import clearance

pytestmark = [
    pytest.mark.skipif(not hasattr(os, "fork"), reason="no os.fork on this platform"),
    # Python 3.12+ warns that forking a process with threads may deadlock: the
    # point here is that with clearance's threads it does not.
    pytest.mark.filterwarnings("ignore:.*multi-threaded.*fork.*:DeprecationWarning"),
]

AT = "2019-06-01"
SWEEP_AT = "2025-04-02"
TIMEOUT = 60.0
QUESTIONS = [("mod-secret", "deploy", "kes-12", "2018-01-10")] * 10 + [
    ("uk-home-laptop", "deploy", "defender-4.18", "2018-01-10")
] * 10

_engine: clearance.Engine | None = None


def answers(engine: clearance.Engine) -> tuple:
    return (
        engine.matrix("deploy", at=AT).to_dicts(),
        engine.sweep(at=SWEEP_AT).to_dicts(),
        engine.decide_many(QUESTIONS).to_dicts(),
    )


def wait_for(pid: int) -> int:
    """The exit status of child ``pid``; kills it and fails if it takes too long."""
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status) if hasattr(os, "waitstatus_to_exitcode") else status >> 8
        time.sleep(0.02)
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    pytest.fail(f"the forked child hung for {TIMEOUT}s")


@pytest.mark.parametrize("threads", [2, 0])
def test_os_fork_after_threaded_matrix_and_sweep(example_path, threads):
    engine = clearance.Engine(example_path, threads=threads)
    expected = answers(engine)  # starts the engine's threads in this process
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: answer again, report, and leave without cleanup
        try:
            os.close(read)
            same = answers(engine) == expected
            os.write(write, b"same" if same else b"different")
        finally:
            os._exit(0)
    os.close(write)
    status = wait_for(pid)
    with os.fdopen(read, "rb") as pipe:
        report = pipe.read()
    assert status == 0
    assert report == b"same"
    # The parent's threads still work too.
    assert answers(engine) == expected


def child_answers(_: int) -> tuple:
    assert _engine is not None
    return answers(_engine)


@pytest.mark.parametrize("threads", [2, 0])
def test_multiprocessing_fork_pool_after_threaded_matrix(example_path, threads):
    global _engine
    _engine = clearance.Engine(example_path, threads=threads)
    try:
        expected = answers(_engine)
        context = multiprocessing.get_context("fork")
        with context.Pool(2) as pool:
            result = pool.map_async(child_answers, range(4))
            got = result.get(timeout=TIMEOUT)
        assert got == [expected] * 4
    finally:
        _engine = None


def test_an_engine_first_used_in_the_child_works_in_both(example_path):
    """Forking before any bulk question: the child starts the threads."""
    engine = clearance.Engine(example_path, threads=2)
    pid = os.fork()
    if pid == 0:
        try:
            ok = len(engine.matrix("deploy", at=AT)) == 440
        finally:
            os._exit(0 if ok else 1)
    assert wait_for(pid) == 0
    assert len(engine.matrix("deploy", at=AT)) == 440


@pytest.mark.skipif(sys.platform != "linux", reason="forks twice; checked where fork is the default")
def test_a_grandchild_forked_from_a_child_works(example_path):
    engine = clearance.Engine(example_path, threads=2)
    expected = answers(engine)
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            if answers(engine) == expected:
                grandchild = os.fork()
                if grandchild == 0:
                    os._exit(0 if answers(engine) == expected else 1)
                code = wait_for(grandchild)
        finally:
            os._exit(code)
    assert wait_for(pid) == 0
