"""The driver of the executor-threads and executor-processes engines.

Not a workload (its name starts with _, so the catalog skips it): the probe
imports it to run a workload's tasks on concurrent.futures pools, the way
seed 001's script does. Each round submits one task per worker and waits for
all of them; the probe times the round with C clocks, and each task reports
its own start, end and CPU time (time.perf_counter_ns is CLOCK_MONOTONIC,
time.thread_time_ns CLOCK_THREAD_CPUTIME_ID: the clocks the probe uses).

Process pools start the interpreter the probe embeds (sys.executable is set
to it, not to the probe), with the start method in PARAMS["mp_start_method"]
(default forkserver, as seed 001 reports); each worker process imports the
workload and calls its setup(nworkers).
"""

import concurrent.futures
import importlib
import sys
import threading
import time

_module = None
_nworkers = 1
_local = threading.local()
_index_lock = threading.Lock()
_next_index = 0
_shared_index = None  # a multiprocessing Value in worker processes


def mp_context(method):
    """A multiprocessing context whose children run the real interpreter.

    The probe sets sys.executable to the interpreter it embeds (--python);
    when it was run without, sys.executable is the probe itself, which
    cannot be a multiprocessing child, so the interpreter is found beside
    the standard library instead.
    """
    import multiprocessing
    import os
    import sysconfig

    ctx = multiprocessing.get_context(method)
    exe = os.path.realpath(sys.executable or "")
    if exe == os.path.realpath("/proc/self/exe"):
        name = "python" + sysconfig.get_config_var("VERSION") + getattr(sys, "abiflags", "")
        ctx.set_executable(os.path.join(sysconfig.get_config_var("BINDIR"), name))
    return ctx


def _gil_enabled():
    fn = getattr(sys, "_is_gil_enabled", None)
    return None if fn is None else bool(fn())


def _load(workloads_dir, name, nworkers, params, shared_index):
    """Initializer of each worker process."""
    global _module, _nworkers, _shared_index
    if workloads_dir not in sys.path:
        sys.path.insert(0, workloads_dir)
    _module = importlib.import_module(name)
    _module.PARAMS = dict(params)
    _nworkers = nworkers
    _shared_index = shared_index
    setup = getattr(_module, "setup", None)
    if setup is not None:
        setup(nworkers)


def _worker_index():
    global _next_index
    if _shared_index is not None:
        with _shared_index.get_lock():
            index = _shared_index.value
            _shared_index.value += 1
        return index
    with _index_lock:
        index = _next_index
        _next_index += 1
    return index


def _callable():
    fn = getattr(_local, "fn", None)
    if fn is None:
        thread_run = getattr(_module, "thread_run", None)
        if thread_run is None:
            fn = _module.run
        else:
            fn = thread_run(_worker_index() % _nworkers, _nworkers)
        _local.fn = fn
    return fn


def _task(n):
    fn = _callable()
    t0 = time.perf_counter_ns()
    c0 = time.thread_time_ns()
    fn(n)
    c1 = time.thread_time_ns()
    t1 = time.perf_counter_ns()
    return t0, t1, c1 - c0


def _hello(barrier):
    """Keeps a worker busy until every worker has one, so all start now."""
    if barrier is not None:
        barrier.wait(timeout=60)
    else:
        time.sleep(0.05)
    import os
    return os.getpid(), threading.get_ident(), _gil_enabled()


class Driver:
    def __init__(self, kind, workloads_dir, name, nworkers, work):
        global _module, _nworkers
        self.nworkers = nworkers
        self.work = work
        if kind == "threads":
            _module = sys.modules[name]
            _nworkers = nworkers
            self.pool = concurrent.futures.ThreadPoolExecutor(
                max_workers=nworkers, thread_name_prefix="ftmatrix")
            barrier = threading.Barrier(nworkers)
        else:
            params = dict(getattr(sys.modules[name], "PARAMS", {}))
            ctx = mp_context(params.get("mp_start_method", "forkserver"))
            self.pool = concurrent.futures.ProcessPoolExecutor(
                max_workers=nworkers, mp_context=ctx, initializer=_load,
                initargs=(workloads_dir, name, nworkers, params,
                          ctx.Value("i", 0)))
            barrier = None
        seen = self._everyone(barrier)
        self.workers_started = len({(pid, ident) for pid, ident, _ in seen})
        self.gil_before = any(g for _, _, g in seen) if seen[0][2] is not None else None
        self.gil_after = None

    def _everyone(self, barrier):
        futures = [self.pool.submit(_hello, barrier) for _ in range(self.nworkers)]
        return [f.result() for f in futures]

    def round(self):
        futures = [self.pool.submit(_task, self.work) for _ in range(self.nworkers)]
        return [f.result() for f in futures]

    def close(self):
        if self.pool is None:
            return
        try:
            barrier = None
            if isinstance(self.pool, concurrent.futures.ThreadPoolExecutor):
                barrier = threading.Barrier(self.nworkers)
            seen = self._everyone(barrier)
            if seen[0][2] is not None:
                self.gil_after = any(g for _, _, g in seen)
        finally:
            self.pool.shutdown(wait=True)
            self.pool = None
