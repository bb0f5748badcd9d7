"""Word frequency, version 2 of 4: memory-optimised.

Streams the lines instead of building one big string and one big list:
normalise a line, count its words with dict.get, move on. Peak memory is
one line's words, not the whole text's; the top ten come from
heapq.nlargest instead of a full sort. Still all state local to the call.
"""

DESCRIPTION = "word counts streamed line by line with dict.get, heapq.nlargest for the top ten"
GROUP = "progression"
UNIT = "lines"
MEASURES = "ns per line counted (wall)"

import heapq

import _wordfreq

LINES = []
TABLE = str.maketrans(".,!", "   ")


def setup(nthreads):
    LINES[:] = _wordfreq.corpus()


def run(n):
    lines = LINES
    size = len(lines)
    table = TABLE
    counts = {}
    get = counts.get
    for i in range(n):
        for w in lines[i % size].translate(table).lower().split():
            counts[w] = get(w, 0) + 1
    return heapq.nlargest(10, counts.items(), key=lambda kv: kv[1])
