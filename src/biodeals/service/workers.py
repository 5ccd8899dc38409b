"""Running extraction safely: a time bound per document, and worker processes that can be
interrupted or killed without tracebacks from the children or a run that never ends.

``time_limit`` bounds a block with ``SIGALRM`` (``setitimer``), which interrupts pure-Python
work in the thread that runs signal handlers: the main thread of the calling process, which is
also where pool workers run their tasks. Off the main thread (a Dask worker runs its tasks in a
thread pool) a timer thread raises the timeout in the block's thread instead, at the same
bytecode boundaries a signal handler would run at. ``map_in_workers`` runs a function over items in forked
processes, in order, with a bounded number in flight; a worker that dies (``kill -9``, the OOM
killer) costs the items in flight, reported as such, and the run goes on in a fresh pool.
"""

from __future__ import annotations

import ctypes
import gc
import multiprocessing
import signal
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")


_frozen = False


def load_extraction_data() -> None:
    """Load the vocabulary before the first document's time limit starts, and once per process
    move it (with all else loaded by then) out of the garbage collector's sight: it is never
    garbage, yet each full collection would walk it, and in a forked worker copy its pages."""
    global _frozen
    from biodeals.nlp.vocab import load_vocabulary

    load_vocabulary()
    if not _frozen:
        gc.freeze()
        _frozen = True


class ExtractionTimeout(BaseException):
    """Raised inside a ``time_limit`` block that ran out of time. A BaseException, so that no
    ``except Exception`` in the interrupted code swallows it."""


def can_bound_time() -> bool:
    """Whether ``time_limit`` bounds anything here: POSIX timers, on the main thread."""
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


@contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Raise ExtractionTimeout in the block once it has run ``seconds``; no bound when seconds
    is None or not positive. On the main thread by SIGALRM (the previous handler and timer are
    restored afterwards), elsewhere by ``_thread_time_limit``."""
    if seconds is None or seconds <= 0:
        yield
        return
    if not can_bound_time():
        with _thread_time_limit(seconds):
            yield
        return

    running = True

    def on_alarm(_signum: int, _frame: Any) -> None:
        if running:  # an alarm that fires as the block ends must not cut its clean-up short
            raise ExtractionTimeout(seconds)

    previous = signal.signal(signal.SIGALRM, on_alarm)
    earlier, _interval = signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        running = False
        left, _ = signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if earlier:  # someone else's timer was running: let it go off, at about its time
            signal.setitimer(signal.ITIMER_REAL, max(earlier - (seconds - left), 0.001))


_raise_in_thread = ctypes.pythonapi.PyThreadState_SetAsyncExc
_raise_in_thread.argtypes = (ctypes.c_ulong, ctypes.py_object)
_raise_in_thread.restype = ctypes.c_int


@contextmanager
def _thread_time_limit(seconds: float) -> Iterator[None]:
    """``time_limit`` for a thread other than the main one: a timer thread raises
    ExtractionTimeout in this thread (``PyThreadState_SetAsyncExc``). A lock keeps the timer
    from firing once the block is over; one that fired as the block ended is taken back."""
    thread_id = threading.get_ident()
    lock = threading.Lock()
    state = {"running": True, "fired": False}

    def expire() -> None:
        with lock:
            if state["running"]:
                state["fired"] = True
                _raise_in_thread(thread_id, ctypes.py_object(ExtractionTimeout))

    timer = threading.Timer(seconds, expire)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        with lock:
            state["running"] = False
            timer.cancel()
            if state["fired"]:  # not raised yet (the block ended first): take it back
                _raise_in_thread(thread_id, ctypes.py_object())


def extract_bounded(extract: Callable[[T], R], item: T, seconds: float | None) -> tuple[R, None] | tuple[None, str]:
    """``(extract(item), None)``, or ``(None, why not)``: "extraction timed out (over S s)" when it
    ran past ``seconds`` (``time_limit``), "extraction failed (Type: message)" when it raised, so
    that one pathological document or a bug of ours costs that document, not the run."""
    try:
        with time_limit(seconds):
            return extract(item), None
    except ExtractionTimeout:
        return None, f"extraction timed out (over {seconds:g} s)"
    except Exception as error:
        return None, f"extraction failed ({type(error).__name__}: {error})"


@dataclass(frozen=True, slots=True)
class WorkerLost:
    """In place of a result: the worker process running the task died, or the task could not
    be run or its result not returned."""

    reason: str


def _ignore_interrupts() -> None:
    """Pool worker initializer: Ctrl-C is the parent's to handle (it stops the workers); a worker
    that took it would print a KeyboardInterrupt traceback and die mid-task."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _stop(executor: ProcessPoolExecutor) -> None:
    """Shut the pool down now: queued tasks cancelled, workers terminated (not waited for)."""
    # the executor has no public way to stop running workers before Python 3.14
    processes = list((getattr(executor, "_processes", None) or {}).values())
    executor.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        if process.is_alive():
            process.terminate()
    for process in processes:
        process.join(timeout=5)


def map_in_workers(
    task: Callable[[T], R], items: Iterable[T], workers: int, in_flight: int
) -> Iterator[tuple[T, R | WorkerLost]]:
    """``(item, task(item))`` for each item, in order, computed in ``workers`` forked processes
    with at most ``in_flight`` items handed out ahead. Items are read from ``items`` by the
    caller's thread as results are taken. When a worker dies, the items in flight come back
    with a WorkerLost and the rest go to a fresh pool; when the caller stops (Ctrl-C, an
    error, closing the iterator), the workers are stopped at once."""
    source = iter(items)
    context = multiprocessing.get_context("fork")
    done = False
    while not done:
        executor = ProcessPoolExecutor(workers, mp_context=context, initializer=_ignore_interrupts)
        pending: deque[tuple[T, Future[R] | WorkerLost]] = deque()
        lost: str | None = None
        try:
            while True:
                while lost is None and len(pending) < in_flight:
                    item = next(source, _END)
                    if item is _END:
                        done = True
                        break
                    try:
                        pending.append((item, executor.submit(task, item)))
                    except BrokenProcessPool:  # a worker died since the last result
                        pending.append((item, WorkerLost("not run: an extraction worker died")))
                        lost = "an extraction worker process died (killed?) while it was in flight"
                if not pending:
                    return
                if isinstance(pending[0][1], WorkerLost):
                    break
                item, future = pending[0]
                try:
                    result: R | WorkerLost = future.result()
                except BrokenProcessPool:
                    lost = "an extraction worker process died (killed?) while it was in flight"
                    break
                except Exception as error:  # the task could not be sent or its result not returned
                    result = WorkerLost(f"{type(error).__name__}: {error}")
                pending.popleft()
                yield item, result
        finally:
            _stop(executor)
        for item, outcome in pending:  # what finished before the worker died is kept
            finished = isinstance(outcome, Future) and outcome.done() and not outcome.cancelled()
            if finished and outcome.exception() is None:
                yield item, outcome.result()
                continue
            yield item, outcome if isinstance(outcome, WorkerLost) else WorkerLost(lost or "not run")


_END: Any = object()
