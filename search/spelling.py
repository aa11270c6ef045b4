"""The word articles use that a reader most likely meant, for both engines."""

from .trigrams import similarity


def edit_distance(a, b):
    """Damerau–Levenshtein distance (optimal string alignment): a swap of two letters is one."""
    previous2, previous = None, list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i]
        for j, char_b in enumerate(b, 1):
            cost = char_a != char_b
            value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and char_a == b[j - 2] and a[i - 2] == char_b:
                value = min(value, previous2[j - 2] + 1)
            current.append(value)
        previous2, previous = previous, current
    return previous[-1]


def allowed_edits(word):
    """Short words tolerate one slip, longer ones two: beyond that a word is another word."""
    return 1 if len(word) <= 5 else 2


def closest(word, vocabulary):
    """
    The word itself if articles use it, else the closest term of vocabulary ({term: number of
    articles}) within allowed_edits, fewer edits first, then more similar spelling (trigrams),
    then more common; None when nothing is close. Numbers are never corrected.
    """
    if word in vocabulary:
        return word
    if word.isdigit():
        return None
    limit = allowed_edits(word)
    scored = []
    for term, documents in vocabulary.items():
        if abs(len(term) - len(word)) > limit or term.isdigit():
            continue
        distance = edit_distance(word, term)
        if distance <= limit:
            scored.append((distance, -similarity(word, term), -documents, term))
    return min(scored)[-1] if scored else None
