from search.query import MAX_QUERY_LENGTH, Clause, Phrase, clean, parse

GROUPS = [[("slipped", "disc"), ("herniated", "disc")], [("neck",), ("cervical",)]]


def test_words_are_lower_cased_and_stop_words_dropped():
    assert parse("How to RELIEVE neck pain").clauses == (
        Clause((Phrase(("relieve",)),)),
        Clause((Phrase(("neck",)),)),
        Clause((Phrase(("pain",)),)),
    )


def test_quotes_make_a_phrase_and_minus_excludes():
    query = parse('"lower back" -surgery')
    assert query.clauses == (
        Clause((Phrase(("lower", "back")),)),
        Clause((Phrase(("surgery",)),), negated=True),
    )


def test_or_joins_its_neighbours_into_alternatives():
    assert parse("sciatica or piriformis").clauses == (
        Clause((Phrase(("sciatica",)), Phrase(("piriformis",)))),
    )


def test_synonym_phrases_widen_the_words_that_spell_them():
    query = parse("slipped disc exercises", GROUPS)
    assert query.clauses[0] == Clause((Phrase(("slipped", "disc")), Phrase(("herniated", "disc"))))
    assert query.clauses[1] == Clause((Phrase(("exercises",)),))


def test_syntax_characters_are_never_passed_through():
    query = parse('neck* "AND" (OR) NEAR(a b) ^col: ""')
    words = [word for clause in query.clauses for p in clause.alternatives for word in p.words]
    assert all(word.isalnum() for word in words)


def test_only_operators_or_emoji_leave_an_empty_query():
    for text in ['"', "-", "or", "- or -", "😀🙂", "   ", "\x00\x01", "the of and"]:
        assert parse(text).is_empty, text


def test_a_long_query_is_capped():
    assert len(clean("neck " * 5000)) <= MAX_QUERY_LENGTH


def test_normalised_query_ignores_case_and_spacing():
    assert parse("  Neck   PAIN ").normalised == "neck pain"
