"""
Reading ease of English text (Flesch, 1948) and its school-grade form (Flesch–Kincaid), shown
to editors for information. Syllables are estimated from vowel groups, which is close enough
for a score that only guides: health writing for the public aims at "plain English" (60+).
"""

import re

WORD = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)*")
SENTENCE_END = re.compile(r"[.!?]+(?=\s|$)")
VOWEL_GROUP = re.compile(r"[aeiouy]+")

EASE_LABELS = [
    (90, "very easy"),
    (80, "easy"),
    (70, "fairly easy"),
    (60, "plain English"),
    (50, "fairly difficult"),
    (30, "difficult"),
    (float("-inf"), "very difficult"),
]


def syllables(word):
    word = word.lower().replace("’", "'").split("'")[0]
    count = len(VOWEL_GROUP.findall(word))
    # A final silent "e" (make, ache) is no syllable; "-le" after a consonant (gentle) is.
    if word.endswith("e") and not word.endswith(("le", "ee", "ye")) and count > 1:
        count -= 1
    return max(1, count)


def scores(blocks):
    """
    (words, reading ease, grade) for text given as blocks (paragraphs, headings, list items):
    each block ends a sentence even without a full stop.
    """
    sentences = words = syllable_count = 0
    for block in blocks:
        block_words = WORD.findall(block)
        if not block_words:
            continue
        sentences += max(1, len(SENTENCE_END.findall(block.strip())))
        words += len(block_words)
        syllable_count += sum(syllables(word) for word in block_words)
    if not words:
        return 0, None, None
    per_sentence, per_word = words / sentences, syllable_count / words
    ease = 206.835 - 1.015 * per_sentence - 84.6 * per_word
    grade = 0.39 * per_sentence + 11.8 * per_word - 15.59
    return words, round(ease), round(grade, 1)


def ease_label(ease):
    return next(label for floor, label in EASE_LABELS if ease >= floor)


# Plain-language guides (NHS, CDC's Clear Communication Index) put long sentences at over 25.
LONG_SENTENCE_WORDS = 25
SENTENCE = re.compile(r"[^.!?]+(?:[.!?]+(?=\s|$)|$)")


def reading_age(grade):
    """The usual conversion of a US school grade to a reading age: grade 6 is reading age 11."""
    return round(grade + 5)


def long_sentences(blocks, limit=LONG_SENTENCE_WORDS):
    """The sentences of more than `limit` words, in order."""
    found = []
    for block in blocks:
        for sentence in SENTENCE.findall(block):
            if len(WORD.findall(sentence)) > limit:
                found.append(sentence.strip())
    return found


def phrase_syllables(phrase):
    return sum(syllables(word) for word in phrase)


def lay_words(blocks, groups):
    """
    (term used, plainer synonym) for each synonym group (tuples of lower-case word tuples, as
    search.Synonym.phrase_words) whose harder phrase the text uses. The plainest phrase of a
    group is the one of fewest syllables; a phrase of more syllables is the jargon to replace.
    """
    text = " " + " ".join(word.lower() for block in blocks for word in WORD.findall(block)) + " "
    found = []
    for group in groups:
        plainest = min(group, key=lambda phrase: (phrase_syllables(phrase), len(phrase)))
        for phrase in group:
            harder = phrase_syllables(phrase) > phrase_syllables(plainest)
            if harder and f" {' '.join(phrase)} " in text:
                found.append((" ".join(phrase), " ".join(plainest)))
    return found


# Where the groups of phrases with the same meaning come from: blog imports no other app, so
# the search app adds its editors' synonyms here when it starts (search/apps.py).
_synonym_sources = []


def add_synonym_source(source):
    """Read synonym groups from `source()` (as lay_words takes them) when articles are checked."""
    if source not in _synonym_sources:
        _synonym_sources.append(source)


def synonym_groups():
    """The synonym groups of every source added, for lay_words."""
    return [group for source in _synonym_sources for group in source()]
