"""Measure search relevance on the demo content: hit rate at 3, top-1 accuracy, zero results."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from blog.models import Post
from search.relevance import JUDGEMENTS, TARGET_HIT_RATE, TARGET_TOP_1, evaluate


class Command(BaseCommand):
    help = (
        "Run the judged reader queries of search/relevance.py against the demo content "
        "(manage.py seed_demo) and print mean hit rate at 3, top-1 accuracy and zero-result "
        "queries for this database's engine. --verbosity 2 lists every query."
    )

    def handle(self, *args, verbosity=1, **options):
        slugs = {slug for j in JUDGEMENTS for slug in j.expected}
        public = set(Post.objects.published().filter(slug__in=slugs).values_list("slug", flat=True))
        if missing := sorted(slugs - public):
            raise CommandError(
                f"Run seed_demo: these demo articles are not published here: {', '.join(missing)}"
            )
        report = evaluate(settings.SITE_ID)
        if verbosity > 1:
            for outcome in report.outcomes:
                mark = "ok " if outcome.top_1 else ("~  " if outcome.hit_rate else "MISS")
                shown = (
                    ""
                    if outcome.shown_for == outcome.judgement.query
                    else (f"  [shown for: {outcome.shown_for}]")
                )
                self.stdout.write(
                    f"{mark} {outcome.hit_rate:.2f}  {outcome.judgement.query!r}{shown}\n"
                    f"        got: {', '.join(outcome.slugs[:3]) or '(nothing)'}"
                )
        zero = ", ".join(repr(o.judgement.query) for o in report.zero_results) or "none"
        self.stdout.write(
            f"{connection.vendor}: {len(report.outcomes)} queries, "
            f"hit rate at 3 {report.hit_rate:.3f} (target {TARGET_HIT_RATE}), "
            f"top-1 {report.top_1:.1%} (target {TARGET_TOP_1:.0%}), "
            f"zero results: {zero}"
        )
