"""Finding: objects that are never freed (immortalisation) and the memory
they keep.

For each kind the benchmark plan names (module-level functions, code
objects, module objects, classes, interned strings) this creates a batch,
deletes every reference, runs gc.collect(), and counts how many are still
alive (through weak references; for strings, through their reference
count, which is fixed at a huge value when a string is immortal) and how
many memory blocks and how much RSS were not given back.

A thread is started first, as any threaded program does: 3.13's
free-threaded build makes functions, code, modules and classes immortal
once a second thread has run (to avoid reference-count contention on
them), so they are never freed. 3.14 narrowed this. GIL builds free them.
"""

DESCRIPTION = "create functions, code, modules, classes, interned strings; del + gc.collect(): what stays?"
GROUP = "findings"
UNIT = "one check (iterations unused)"
MEASURES = "finding: objects retained and memory kept after del + gc.collect() (counts, bytes)"
FINDING = "immortalization"

import gc
import os
import sys
import threading
import types
import weakref

PARAMS = {}
PAGE = os.sysconf("SC_PAGE_SIZE")


def rss_bytes():
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * PAGE
    except OSError:
        return -1


def make_functions(n):
    out = []
    for i in range(n):
        ns = {}
        exec(f"def f{i}(x):\n    return x + {i}\n", ns)
        out.append(ns[f"f{i}"])
    return out


def make_code(n):
    return [compile(f"x = {i} * y + {i}", f"<code {i}>", "exec") for i in range(n)]


def make_modules(n):
    out = []
    for i in range(n):
        m = types.ModuleType(f"ftmatrix_immortal_{i}")
        exec(f"VALUE = {i}\ndef get():\n    return VALUE\n", m.__dict__)
        out.append(m)
    return out


def make_types(n):
    return [type(f"T{i}", (), {"x": i, "get": lambda self: self.x}) for i in range(n)]


def make_strings(n):
    return [sys.intern(f"ftmatrix-interned-{i}-" + "x" * 24) for i in range(n)]


IMMORTAL_REFCOUNT = 1 << 28  # every immortal refcount is above this


def measure(name, make, n):
    gc.collect()
    blocks0, rss0 = sys.getallocatedblocks(), rss_bytes()
    objs = make(n)
    blocks1, rss1 = sys.getallocatedblocks(), rss_bytes()
    immortal = sum(1 for o in objs if sys.getrefcount(o) > IMMORTAL_REFCOUNT)
    try:
        refs = [weakref.ref(o) for o in objs]
    except TypeError:  # str: no weak references
        refs = None
    del objs
    for _ in range(3):
        gc.collect()
    blocks2, rss2 = sys.getallocatedblocks(), rss_bytes()
    alive = sum(1 for r in refs if r() is not None) if refs is not None else None
    made = max(1, blocks1 - blocks0)
    return {
        "created": n,
        "immortal": immortal,
        "alive_after_collect": alive,
        "blocks_allocated": blocks1 - blocks0,
        "blocks_retained": blocks2 - blocks0,
        "retained_fraction": round((blocks2 - blocks0) / made, 3),
        "rss_grown_bytes": rss1 - rss0,
        "rss_retained_bytes": rss2 - rss0,
    }


def check(nthreads):
    n = int(PARAMS.get("objects", 2000))
    t = threading.Thread(target=lambda: None)
    t.start()
    t.join()
    kinds = [
        ("functions", make_functions, n),
        ("code_objects", make_code, n),
        ("modules", make_modules, max(1, n // 10)),
        ("classes", make_types, max(1, n // 2)),
        ("interned_strings", make_strings, n * 5),
    ]
    details = {"thread_started_first": True, "kinds": {}}
    kept = []
    for name, make, count in kinds:
        print(f"finding_immortalization: {name}", file=sys.stderr, flush=True)
        d = measure(name, make, count)
        details["kinds"][name] = d
        stuck = d["alive_after_collect"] if d["alive_after_collect"] is not None else d["immortal"]
        if stuck:
            kb = max(0, d["rss_retained_bytes"]) // 1024
            kept.append(f"{stuck} of {count} {name.replace('_', ' ')} ({kb} KiB RSS)")
    if kept:
        return {"outcome": "issue",
                "summary": "After del and gc.collect() these were never freed: "
                           + "; ".join(kept) + ".",
                "details": details}
    return {"outcome": "ok",
            "summary": "Functions, code objects, modules, classes and interned "
                       "strings were all freed after del and gc.collect().",
            "details": details}
