"""pg_trgm's word similarity, in Python, for the SQLite engine's spelling suggestions."""


def trigrams(word):
    padded = f"  {word} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


def similarity(a, b):
    """Shared trigrams over all trigrams, as pg_trgm's similarity() computes it."""
    ta, tb = trigrams(a), trigrams(b)
    return len(ta & tb) / len(ta | tb) if ta or tb else 0.0
