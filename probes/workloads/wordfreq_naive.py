"""Word frequency, version 1 of 4: the naive implementation (baseline).

What one writes first: join the lines into one string, lower-case
and strip it, split it into a list of every word, count with an if/else
on a dict, sort everything to get the top ten. Correct and thread-safe
(all state is local to the call) but it builds a copy of the whole text
and a list of every word before counting anything.

The four versions count the same lines: naive, memory-optimised
(wordfreq_memory), thread-safe with a shared result (wordfreq_threadsafe)
and fully optimised (wordfreq_optimized).
"""

DESCRIPTION = "word counts the naive way: join all lines, split into one big list, if/else counting"
GROUP = "progression"
UNIT = "lines"
MEASURES = "ns per line counted (wall)"

import _wordfreq

LINES = []


def setup(nthreads):
    LINES[:] = _wordfreq.corpus()


def run(n):
    lines = LINES
    text = "\n".join([lines[i % len(lines)] for i in range(n)])
    words = text.lower().replace(".", " ").replace(",", " ").replace("!", " ").split()
    counts = {}
    for w in words:
        if w in counts:
            counts[w] = counts[w] + 1
        else:
            counts[w] = 1
    return _wordfreq.top(counts)
