"""Finding: reading and writing another thread's running frame.

A victim thread runs a loop that updates its locals; this thread finds its
frame with sys._current_frames() and, for a while, reads f_lineno, f_back
and f_locals (a write-through proxy since 3.13), then writes one local
through f_locals, which the victim checks it sees. The free-threading
HOWTO warns that frame objects are not safe to use from other threads and
that this may crash: if it does, the cell is recorded as crashed, which is
the finding. Otherwise the counts of reads, writes, writes the victim saw
and errors (by type) are the details.
"""

DESCRIPTION = "read and write another thread's frame locals via sys._current_frames()"
GROUP = "findings"
UNIT = "one check (iterations unused)"
MEASURES = "finding: cross-thread frame reads/writes and errors (counts), or a crash"
FINDING = "frame_access"

import sys
import sysconfig
import threading
import time

PARAMS = {}


def victim(state, ready):
    a = 0
    b = 0
    poke = 0
    seen_pokes = 0
    last = 0
    ready.set()
    while not state["stop"]:
        a += 1
        b = a * 2
        if poke != last:
            seen_pokes += 1
            last = poke
    state["seen_pokes"] = seen_pokes
    state["final"] = (a, b)


def check(nthreads):
    seconds = float(PARAMS.get("seconds", 0.5))
    state = {"stop": False}
    ready = threading.Event()
    t = threading.Thread(target=victim, args=(state, ready))
    t.start()
    ready.wait()
    counts = {"frame_lookups": 0, "reads": 0, "writes": 0, "mid_update": 0}
    errors = {}

    def note(exc):
        errors[type(exc).__name__] = errors.get(type(exc).__name__, 0) + 1

    print("finding_frame_access: reading", file=sys.stderr, flush=True)
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            frame = sys._current_frames().get(t.ident)
            counts["frame_lookups"] += 1
            if frame is None:
                continue
            _ = frame.f_lineno, frame.f_back, frame.f_code.co_name
            loc = frame.f_locals
            a, b = loc.get("a"), loc.get("b")
            counts["reads"] += 1
            if isinstance(a, int) and isinstance(b, int) and b != 2 * a:
                counts["mid_update"] += 1
            del frame, loc
        except Exception as exc:
            note(exc)
    print("finding_frame_access: writing", file=sys.stderr, flush=True)
    end = time.monotonic() + seconds
    k = 0
    while time.monotonic() < end:
        try:
            frame = sys._current_frames().get(t.ident)
            if frame is None:
                continue
            while frame is not None and frame.f_code.co_name != "victim":
                frame = frame.f_back
            if frame is not None:
                k += 1
                frame.f_locals["poke"] = k
                counts["writes"] += 1
            del frame
            time.sleep(0.001)
        except Exception as exc:
            note(exc)
    state["stop"] = True
    t.join()
    details = dict(counts, errors=errors, seen_pokes=state.get("seen_pokes"),
                   threads=2)
    if errors:
        kinds = ", ".join(f"{n} {k}" for k, n in sorted(errors.items()))
        return {"outcome": "issue",
                "summary": f"Reading and writing another thread's frame raised "
                           f"errors ({kinds}) in {counts['reads']} reads and "
                           f"{counts['writes']} writes.",
                "details": details}
    seen = state.get("seen_pokes")
    summary = (f"{counts['reads']} reads and {counts['writes']} writes of "
               f"another thread's running frame raised nothing and did not "
               f"crash; the victim saw {seen} of the writes")
    if counts["writes"] and not seen:
        summary += " (before 3.13 a write to f_locals does not reach a running function; PEP 667)"
    if sysconfig.get_config_var("Py_GIL_DISABLED"):
        summary += ". That was this run: the free-threading HOWTO calls it unsafe"
    return {"outcome": "ok", "summary": summary + ".", "details": details}
