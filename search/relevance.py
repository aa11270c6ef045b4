"""
Judged reader queries on the demo content (blog/demo), and how well search answers them.

Each judgement is a query as a reader would type it, the articles that deserve to come first
(any one of them is a right first answer) and others a careful reader would also expect in the
top three. The queries were written from the articles' point of view of a reader who has not
read them: lay words, symptoms in plain language, questions with filler, typos, British and
American spellings, phrases, exclusions and clinical terms. Don't delete a query because it is
hard; fix search instead.

    python manage.py measure_relevance      # on the database DATABASE_URL names
    python bench/relevance.py               # on SQLite and PostgreSQL, side by side
"""

from dataclasses import dataclass

from .results import search_site

# The demo's public articles, by slug.
STRESS = "stress-management-techniques-for-soothing-back-pain"
SCIATICA = "sciatica-causes-symptoms-and-what-helps"
DISC = "herniated-disc-what-a-slipped-disc-really-means"
FIRST_48 = "first-48-hours-when-your-lower-back-goes"
NECK_STRETCHES = "neck-stretches-for-desk-work"
STIFF_NECK = "waking-up-with-a-stiff-neck-torticollis"
NECK_NERVE = "cervical-radiculopathy-pinched-nerve-in-the-neck"
DESK = "setting-up-a-desk-that-is-kind-to-your-back"
SITTING = "is-sitting-really-bad-for-your-back"
MORNING = "gentle-morning-routine-for-a-stiff-lower-back"
SLEEP = "sleeping-positions-for-back-and-neck-pain"
HEAT = "heat-or-ice-for-back-pain"
WHO_TO_SEE = "when-to-see-a-physiotherapist-chiropractor-or-doctor"

TARGET_HIT_RATE = 0.9
TARGET_TOP_1 = 0.85


@dataclass(frozen=True)
class Judgement:
    query: str
    best: tuple[str, ...]
    also: tuple[str, ...] = ()

    @property
    def expected(self):
        """What should be in the top three (at most three articles)."""
        return (self.best + self.also)[:3]


def judged(query, best, *also):
    return Judgement(query, best if isinstance(best, tuple) else (best,), also)


JUDGEMENTS = [
    # Plain words and lay descriptions of symptoms.
    judged("sciatica", SCIATICA, DISC),
    judged("pain down the back of my leg", SCIATICA, DISC),
    judged("shooting pain down my leg when i sit", SCIATICA),
    judged("nerve pain down the leg", SCIATICA, DISC),
    judged("why does my back hurt when I sit", SITTING),
    judged("best pillow for neck pain", SLEEP, STIFF_NECK),
    judged("how do I fix tech neck", (NECK_STRETCHES, DESK)),
    judged("text neck", (NECK_STRETCHES, DESK)),
    judged("woke up with a stiff neck", STIFF_NECK),
    judged("crick in my neck", STIFF_NECK),
    judged("can't turn my head", STIFF_NECK),
    judged("pins and needles in my fingers", NECK_NERVE),
    judged("arm pain coming from the neck", NECK_NERVE),
    judged("trapped nerve in neck", NECK_NERVE),
    judged("pinched nerve", (NECK_NERVE, SCIATICA)),
    judged("slipped disc", DISC),
    judged("bulging disc", DISC),
    judged("do i need surgery for a slipped disc", DISC, SCIATICA),
    judged("hurt my back picking something up", FIRST_48),
    judged("sudden sharp lower back pain", FIRST_48),
    judged("put my back out", FIRST_48),
    judged("stiff back in the morning", MORNING),
    judged("morning stretches for lower back", MORNING),
    judged("exercises for lower back pain", MORNING),
    judged("neck exercises at my desk", NECK_STRETCHES),
    judged("monitor height office chair", DESK),
    judged("standing desk", DESK),
    judged("is slouching bad for you", SITTING),
    judged("hot water bottle for back spasm", HEAT, FIRST_48),
    judged("should I put ice on my back", HEAT),
    judged("when should i see a doctor about back pain", WHO_TO_SEE),
    judged("stress and back pain", STRESS),
    judged("relaxation techniques for back pain", STRESS),
    judged("breathing exercises for stress", STRESS),
    judged("can't sleep because of back pain", SLEEP),
    judged("best mattress for a bad back", SLEEP),
    # Typos.
    judged("sciatca", SCIATICA, DISC),
    judged("torticolis", STIFF_NECK),
    judged("herniated dsic", DISC),
    judged("chiropracter", WHO_TO_SEE),
    judged("stres relief", STRESS),
    judged("mindfullness", STRESS),
    # British and American spellings, singular and plural.
    judged("herniated disk", DISC),
    judged("physical therapist or chiropractor", WHO_TO_SEE),
    judged("lumbar disk herniation", DISC),
    judged("pillows", SLEEP),
    judged("neck stretch", NECK_STRETCHES),
    # Web-search syntax: phrases, exclusions, or.
    judged('"stiff neck"', STIFF_NECK),
    judged("neck pain -desk", (STIFF_NECK, NECK_NERVE)),
    judged("heat or ice", HEAT),
    judged('"lower back" stretches', MORNING),
    # Clinical terms.
    judged("cervical radiculopathy", NECK_NERVE),
    judged("lumbar radiculopathy", SCIATICA),
    judged("cauda equina", (SCIATICA, DISC)),
    judged("torticollis", STIFF_NECK),
    judged("cervical spondylosis", NECK_NERVE),
    judged("microdiscectomy", DISC),
    judged("mindfulness meditation", STRESS),
]


@dataclass(frozen=True)
class Outcome:
    judgement: Judgement
    slugs: tuple[str, ...]
    shown_for: str  # The query whose results were shown (a correction, or the query itself).

    @property
    def hit_rate(self):
        expected = self.judgement.expected
        return len(set(expected) & set(self.slugs[:3])) / len(expected)

    @property
    def top_1(self):
        return bool(self.slugs) and self.slugs[0] in self.judgement.best


@dataclass(frozen=True)
class Report:
    outcomes: list

    @property
    def hit_rate(self):
        return sum(o.hit_rate for o in self.outcomes) / len(self.outcomes)

    @property
    def top_1(self):
        return sum(o.top_1 for o in self.outcomes) / len(self.outcomes)

    @property
    def zero_results(self):
        return [o for o in self.outcomes if not o.slugs]

    @property
    def meets_targets(self):
        return (
            self.hit_rate >= TARGET_HIT_RATE
            and self.top_1 >= TARGET_TOP_1
            and not self.zero_results
        )


def evaluate(site_id, judgements=JUDGEMENTS):
    """Run every judged query through the search page's logic, as a reader's first page."""
    outcomes = []
    for judgement in judgements:
        results = search_site(judgement.query, site_id=site_id)
        slugs = tuple(post.slug for post in results.posts)
        outcomes.append(Outcome(judgement, slugs, results.shown_query))
    return Report(outcomes)
