"""Finding: threads sharing one generator.

A generator runs its frame when next() is called; two threads calling
next() on the same one at once is an error the interpreter must catch
("ValueError: generator already executing"). With the GIL that check is
reliable. On a free-threaded build the check itself is racy, so two
threads may run the same generator frame at once, which can corrupt it or
crash the process: a crash is recorded as the finding. Otherwise the
counts of items, losses, duplicates and "already executing" errors are
the details.
"""

DESCRIPTION = "threads call next() on one shared generator: errors, lost items, or a crash"
GROUP = "findings"
UNIT = "one check (iterations unused)"
MEASURES = "finding: 'already executing' errors, items lost and duplicated (counts), or a crash"
FINDING = "shared_generator"

from finding_shared_iterator import consume, describe, tally

PARAMS = {}


def check(nthreads):
    nthreads = max(2, nthreads)
    items = int(PARAMS.get("items", 200000))
    seen, errors = consume((i for i in range(items)), nthreads)
    d = tally(seen, set(range(items)))
    refused = errors.get("ValueError", 0)
    details = dict(d, threads=nthreads, items=items, exceptions=errors)
    if d["lost"] or d["duplicated"] or d["wrong"]:
        return {"outcome": "issue",
                "summary": f"{nthreads} threads sharing one generator of {items} "
                           f"items: it {describe(d, {})} ({refused} calls refused "
                           f"with 'generator already executing').",
                "details": details}
    return {"outcome": "ok",
            "summary": f"{nthreads} threads sharing one generator got each of its "
                       f"{items} items once; {refused} calls were refused with "
                       f"'generator already executing', as designed.",
            "details": details}
