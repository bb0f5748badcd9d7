"""Finding: threads sharing one iterator, items lost or duplicated.

Several threads call next() on the same iterator until it is exhausted and
each keeps what it got; then the items are counted. With the GIL, next()
on a built-in iterator runs whole, so every item comes out exactly once.
On a free-threaded build the iterators of list, range, dict and friends
do not lock (the free-threading HOWTO says sharing one is not safe), so
an index can be read by two threads before either writes it back: items
come out twice, or are skipped. Counts per iterator kind, in details.
Generators are finding_shared_generator (sharing one can crash).
"""

DESCRIPTION = "threads share one iterator: count the items lost and duplicated"
GROUP = "findings"
UNIT = "one check (iterations unused)"
MEASURES = "finding: items lost and duplicated per iterator kind (counts)"
FINDING = "shared_iterator"

import sys
import threading

PARAMS = {}


def kinds(items):
    """Built-in iterators implemented in C, with the items each must yield
    (all distinct)."""
    pairs = lambda: {(i, i) for i in range(items)}
    plain = lambda: set(range(items))
    return [
        ("list_iterator", lambda: iter(list(range(items))), plain),
        ("range_iterator", lambda: iter(range(items)), plain),
        ("dict_keyiterator", lambda: iter(dict.fromkeys(range(items))), plain),
        ("enumerate", lambda: enumerate(range(items)), pairs),
        ("zip", lambda: zip(range(items), range(items)), pairs),
    ]


def tally(seen, expected):
    """lost: expected but never seen; duplicated: seen more than once;
    wrong: seen but never expected (a zip pair torn apart, an enumerate
    index paired with another item)."""
    distinct = set(seen)
    return {
        "seen": len(seen),
        "lost": len(expected - distinct),
        "duplicated": sum(1 for x in seen if x in expected) - len(distinct & expected),
        "wrong": sum(1 for x in seen if x not in expected),
    }


def describe(d, errors):
    """'lost 3 items and raised 1 RuntimeError', or '' when all was well."""
    parts = []
    if d["lost"]:
        parts.append(f"lost {d['lost']} items")
    if d["duplicated"]:
        parts.append(f"gave {d['duplicated']} items twice")
    if d["wrong"]:
        parts.append(f"returned {d['wrong']} items that were never in it")
    if errors:
        parts.append("raised " + ", ".join(f"{n} {k}" for k, n in sorted(errors.items())))
    return " and ".join(parts)


def consume(it, nthreads):
    """Every thread pulls until exhaustion; returns the items seen and the
    exceptions next() raised, by type name."""
    barrier = threading.Barrier(nthreads)
    got = [[] for _ in range(nthreads)]
    errors = [{} for _ in range(nthreads)]

    def pull(k):
        out = got[k]
        mine = errors[k]
        barrier.wait()
        while True:
            try:
                out.append(next(it))
            except StopIteration:
                return
            except Exception as exc:  # e.g. generator already executing
                name = type(exc).__name__
                mine[name] = mine.get(name, 0) + 1

    threads = [threading.Thread(target=pull, args=(k,)) for k in range(nthreads)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    merged = {}
    for mine in errors:
        for name, n in mine.items():
            merged[name] = merged.get(name, 0) + n
    return [x for part in got for x in part], merged


def check(nthreads):
    nthreads = max(2, nthreads)
    items = int(PARAMS.get("items", 200000))
    details = {"threads": nthreads, "items": items, "kinds": {}}
    bad = []
    for name, make, expect in kinds(items):
        print(f"finding_shared_iterator: {name}", file=sys.stderr, flush=True)
        seen, errors = consume(make(), nthreads)
        d = tally(seen, expect())
        d["errors"] = errors
        details["kinds"][name] = d
        what = describe(d, errors)
        if what:
            bad.append(f"{name} {what}")
    if bad:
        return {"outcome": "issue",
                "summary": f"With {nthreads} threads sharing one iterator of "
                           f"{items} items, " + "; ".join(bad) + ".",
                "details": details}
    return {"outcome": "ok",
            "summary": f"With {nthreads} threads sharing one iterator of {items} "
                       f"items, every item came out exactly once, for list, "
                       f"range, dict, enumerate and zip iterators.",
            "details": details}
