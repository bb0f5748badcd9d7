"""The corpus the wordfreq_* workloads count: generated, not downloaded.

2000 lines of 12 words drawn (seeded, so every run and every process sees
the same text) from a 500-word vocabulary with a Zipf-like skew, as real
text has: a few words are very common, most are rare. Mixed case and
punctuation, so normalising is part of the work.
"""

import random

LINES = 2000
WORDS_PER_LINE = 12
VOCABULARY = 500


def corpus():
    rng = random.Random(20241001)
    syllables = ["ka", "lo", "mi", "ne", "ru", "sa", "to", "vi", "ze", "qu"]
    vocab = []
    while len(vocab) < VOCABULARY:
        word = "".join(rng.choice(syllables) for _ in range(rng.randint(1, 4)))
        if word not in vocab:
            vocab.append(word)
    weights = [1.0 / (rank + 1) for rank in range(VOCABULARY)]
    lines = []
    for _ in range(LINES):
        words = rng.choices(vocab, weights, k=WORDS_PER_LINE)
        words = [w.capitalize() if rng.random() < 0.2 else w for w in words]
        lines.append(" ".join(words) + rng.choice([".", ",", "!", ""]))
    return lines


def top(counts, k=10):
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:k]
