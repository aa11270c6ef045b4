"""
English stop words, the list PostgreSQL's 'english' configuration uses (tsearch_data/english.stop).

The query parser drops them on both engines, so "how to relieve neck pain" behaves the same on
SQLite (whose FTS5 keeps stop words) as on PostgreSQL.
"""

STOP_WORDS = frozenset(
    """
    i me my myself we our ours ourselves you your yours yourself yourselves he him his himself she
    her hers herself it its itself they them their theirs themselves what which who whom this that
    these those am is are was were be been being have has had having do does did doing a an the and
    but if or because as until while of at by for with about against between into through during
    before after above below to from up down in out on off over under again further then once here
    there when where why how all any both each few more most other some such no nor not only own
    same so than too very s t can will just don should now
    """.split()  # noqa: SIM905 (a word list reads better as text)
)

# Words readers add to a question that say nothing about which article they want ("best pillow
# for neck pain", "how do I fix tech neck"). Dropped unless nothing else is left.
FILLER_WORDS = frozenset(
    """
    best good better top tips tip ways way fix cure really help helps get getting got know need
    needs want something anything thing things also much many lot lots one someone anyone
    please advice guide
    """.split()  # noqa: SIM905
)
