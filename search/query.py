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

from .stopwords import STOP_WORDS

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

    @property
    def normalised(self):
        """The query as analytics and recommendations key it: lower case, single spaces."""
        return " ".join(self.text.casefold().split())

    @property
    def typed_words(self):
        """The words the reader typed themselves (not synonyms), for spelling suggestions."""
        words = (word for token in _TOKEN.finditer(self.text) for word in _words(token.group(0)))
        return [word for word in words if word != "or" and _is_meaningful(word)]


def clean(text):
    """The reader's text without control characters, single-spaced and capped in length."""
    text = "".join(
        " " if unicodedata.category(char) in {"Cc", "Cf", "Cs", "Co"} else char
        for char in (text or "")[: MAX_QUERY_LENGTH * 2]
    )
    return " ".join(text.split())[:MAX_QUERY_LENGTH].strip()


def parse(text, synonyms=()):
    """
    Parse web-search syntax into a ParsedQuery, widening it with synonym groups.

    `synonyms` is a sequence of groups, each a sequence of equivalent phrases (tuples of
    lower-case words).
    """
    text = clean(text)
    clauses, pending_or = [], False
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
            clauses[-1] = Clause(clauses[-1].alternatives + (phrases[0],))
            phrases = phrases[1:]
        clauses += [Clause((phrase,), negated) for phrase in phrases]
        pending_or = False
    clauses = _widen(clauses, [_group(g) for g in synonyms])
    return ParsedQuery(text=text, clauses=tuple(filter(None, map(_without_stop_words, clauses))))


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
    return Clause(kept, clause.negated) if kept else None


def _is_meaningful(word):
    """Stop words and single letters (left over from "<b>" or "don't") find too much."""
    return word not in STOP_WORDS and (len(word) > 1 or word.isdigit())


def _widen(clauses, groups):
    """
    Replace every run of words that equals a synonym phrase by a clause matching any phrase
    of its group. Longest phrases win, so "lower back pain" widens "lower back", not "back".
    """
    phrases = sorted(
        ((phrase, group) for group in groups for phrase in group),
        key=lambda item: -len(item[0]),
    )
    widened, i = [], 0
    while i < len(clauses):
        for phrase, group in phrases:
            run = clauses[i : i + len(phrase)]
            if len(run) == len(phrase) and _spells(run, phrase):
                widened.append(Clause(tuple(Phrase(p) for p in group), run[0].negated))
                i += len(phrase)
                break
            if len(clauses[i].alternatives) == 1 and clauses[i].alternatives[0].words == phrase:
                widened.append(Clause(tuple(Phrase(p) for p in group), clauses[i].negated))
                i += 1
                break
        else:
            widened.append(clauses[i])
            i += 1
    return widened


def _spells(run, phrase):
    """True when consecutive one-word clauses with the same sign spell out the phrase."""
    return all(
        len(c.alternatives) == 1
        and c.alternatives[0].words == (word,)
        and c.negated == run[0].negated
        for c, word in zip(run, phrase, strict=True)
    )
