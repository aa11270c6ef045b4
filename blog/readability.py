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
