"""
What a reader typed, cleaned and parsed once, for both engines.

Readers use web-search syntax: words (all must match), "an exact phrase", -exclude, and `or`
between two alternatives. The parser turns any input into a small tree of plain words; the
engines compile that tree themselves, so no character a reader types ever reaches a database
as query syntax.
"""

import re
import unicodedata
from dataclasses import dataclass, field

from .stopwords import FILLER_WORDS, STOP_WORDS

MAX_QUERY_LENGTH = 200

# A quoted phrase (a lone quote runs to the end), or a run of anything else that is not space.
_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')
# Letters and digits in any script; underscores, punctuation and emoji separate words.
_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class Phrase:
    """Words that must appear together, in order; most phrases are a single word."""

    words: tuple[str, ...]

    def __str__(self):
        text = " ".join(self.words)
        return f'"{text}"' if len(self.words) > 1 else text


@dataclass(frozen=True)
class Clause:
    """Any one of the alternatives must match (or, with negated, none may)."""

    alternatives: tuple[Phrase, ...]
    negated: bool = False
    # The reader's own words for it, before synonyms widened it (shown as "Missing: …").
    label: str = field(default="", compare=False)

    def __str__(self):
        return self.label or str(self.alternatives[0])


@dataclass(frozen=True)
class ParsedQuery:
    text: str
    clauses: tuple[Clause, ...] = field(default=())

    @property
    def positive(self):
        return [clause for clause in self.clauses if not clause.negated]

    @property
    def negative(self):
        return [clause for clause in self.clauses if clause.negated]

    @property
    def is_empty(self):
        """True when nothing is left to look for: blank, only operators, stop words or emoji."""
        return not self.positive

    def any_of(self):
        """The query matching any one of its positive clauses (its exclusions still apply)."""
        phrases = tuple(dict.fromkeys(p for c in self.positive for p in c.alternatives))
        return ParsedQuery(self.text, (Clause(phrases), *self.negative))

    def only(self, clause):
        return ParsedQuery(self.text, (clause,))

    @property
    def normalised(self):
        """The query as analytics and recommendations key it: lower case, single spaces."""
        return " ".join(self.text.casefold().split())

    @property
    def typed_words(self):
        """The words the reader typed themselves (not synonyms), for spelling suggestions."""
        words = (word for token in _TOKEN.finditer(self.text) for word in _words(token.group(0)))
        return [
            word
            for word in words
            if word != "or" and _is_meaningful(word) and word not in FILLER_WORDS
        ]


def clean(text):
    """The reader's text without control characters, single-spaced and capped in length."""
    text = "".join(
        " " if unicodedata.category(char) in {"Cc", "Cf", "Cs", "Co"} else char
        for char in (text or "")[: MAX_QUERY_LENGTH * 2]
    )
    return " ".join(text.split())[:MAX_QUERY_LENGTH].strip()


def parse(text, synonyms=()):
    """
    Parse web-search syntax (text as clean() leaves it: cleaning is the views' job, once per
    request) into a ParsedQuery, widening it with synonym groups.

    `synonyms` is a sequence of groups, each a sequence of equivalent phrases (tuples of
    lower-case words). Synonyms are found before `or` joins its neighbours, so "physical
    therapist or chiropractor" means (physical therapist) or chiropractor; stop words don't
    count when the reader's words are compared with them ("crick in my neck" is "crick in the
    neck"). Filler ("best", "tips", "fix") is dropped when other words remain.
    """
    clauses, joined = [], set()  # joined: indexes of clauses that `or` joins to the previous
    pending_or = False
    for match in _TOKEN.finditer(text):
        minus, quoted, bare = match.groups()
        if bare is not None and bare.casefold() == "or":
            pending_or = bool(clauses) and not clauses[-1].negated
            continue
        negated = bool(minus) or (bare is not None and bare.startswith("-"))
        words = _words(quoted if bare is None else bare)
        if not words:
            continue
        # Punctuation inside a bare word ("neck/shoulder", "<b>pain</b>") separates words that
        # must all appear; a quoted or excluded one keeps them together as a phrase.
        keep_together = quoted is not None or negated
        phrases = [Phrase(words)] if keep_together else [Phrase((word,)) for word in words]
        if pending_or and not negated:
            joined.add(len(clauses))
        clauses += [Clause((phrase,), negated) for phrase in phrases]
        pending_or = False
    kept = [
        (meaningful, i in joined)
        for i, clause in enumerate(clauses)
        if (meaningful := _without_stop_words(clause))
    ]
    widened = _widen(kept, [_group(g) for g in synonyms])
    merged = []
    for clause, joins in widened:
        if joins and merged and not merged[-1].negated and not clause.negated:
            label = f"{merged[-1]} or {clause}"
            merged[-1] = Clause(merged[-1].alternatives + clause.alternatives, label=label)
        else:
            merged.append(clause)
    return ParsedQuery(text=text, clauses=tuple(_without_filler(merged)))


def words(text):
    """The lower-case words of a text, stop words included."""
    return _words(clean(text))


def _words(text):
    return tuple(word.casefold() for word in _WORD.findall(text))


def _group(phrases):
    return tuple(dict.fromkeys(tuple(phrase) for phrase in phrases if phrase))


def _without_stop_words(clause):
    """The clause without lone stop words (phrases keep theirs), or None if nothing is left."""
    kept = tuple(p for p in clause.alternatives if len(p.words) > 1 or _is_meaningful(p.words[0]))
    return Clause(kept, clause.negated, clause.label) if kept else None


def _without_filler(clauses):
    """The clauses without lone filler words, unless nothing else is looked for."""
    kept = [
        c
        for c in clauses
        if c.negated
        or any(len(p.words) > 1 or p.words[0] not in FILLER_WORDS for p in c.alternatives)
    ]
    return kept if any(not c.negated for c in kept) else clauses


def _is_meaningful(word):
    """Stop words and single letters (left over from "<b>" or "don't") find too much."""
    return word not in STOP_WORDS and (len(word) > 1 or word.isdigit())


def _key(words):
    """A phrase's words as synonyms compare them: without stop words."""
    return tuple(word for word in words if _is_meaningful(word))


def _widen(clauses, groups):
    """
    Replace every run of words that equals a synonym phrase by a clause matching any phrase
    of its group. Longest phrases win, so "lower back pain" widens "lower back", not "back".
    `clauses` are (clause, joined by `or` to the previous) pairs; so is the result.
    """
    phrases = sorted(
        ((key, group) for group in groups for phrase in group if (key := _key(phrase))),
        key=lambda item: -len(item[0]),
    )
    widened, i = [], 0
    while i < len(clauses):
        clause, joins = clauses[i]
        for key, group in phrases:
            run = clauses[i : i + len(key)]
            if len(run) == len(key) and _spells(run, key):
                label = " ".join(str(c) for c, _ in run)
                widened.append((Clause(_phrases(group), clause.negated, label), joins))
                i += len(key)
                break
            if len(clause.alternatives) == 1 and _key(clause.alternatives[0].words) == key:
                widened.append((Clause(_phrases(group), clause.negated, str(clause)), joins))
                i += 1
                break
        else:
            widened.append((clause, joins))
            i += 1
    return widened


def _phrases(group):
    return tuple(Phrase(p) for p in group)


def _spells(run, key):
    """
    True when consecutive one-word clauses with the same sign, not split by `or`, spell out
    the phrase.
    """
    first = run[0][0]
    return all(
        len(c.alternatives) == 1
        and c.alternatives[0].words == (word,)
        and c.negated == first.negated
        and not (joins and n)
        for n, ((c, joins), word) in enumerate(zip(run, key, strict=True))
    )
