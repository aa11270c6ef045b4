"""
Fill the database named by DATABASE_URL with the demo site plus generated articles.

    DATABASE_URL=postgres://… python bench/content.py 2000

The demo articles (seed_demo) are real text; the rest are copies of them under new titles,
slugs, dates and categories, so pages and search work on realistic bodies. Rows are inserted
in bulk: this is test data, not content an editor saved.
"""

import os
import sys
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backandneck.settings")

ANGLES = [
    "A beginner's guide", "What physiotherapists say", "Five things to know", "Myths and facts",
    "A week-by-week plan", "Questions readers ask", "At home and at work", "After 50",
    "For runners", "For desk workers", "During pregnancy", "When to see a doctor",
]  # fmt: skip


def generate(total):
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone
    from taggit.models import TaggedItem

    from blog.models import Category, Post

    call_command("seed_demo", verbosity=0)
    demos = list(Post.objects.published().prefetch_related("tags"))
    categories = list(Category.objects.all())
    missing = total - Post.objects.count()
    now = timezone.now()
    posts = []
    for n in range(missing):
        demo = demos[n % len(demos)]
        angle = ANGLES[(n // len(demos)) % len(ANGLES)]
        posts.append(
            Post(
                title=f"{demo.title}: {angle} ({n + 1})",
                slug=f"{demo.slug[:150]}-{n + 1}",
                excerpt=demo.excerpt,
                body=demo.body,
                word_count=demo.word_count,
                author_id=demo.author_id,
                category=categories[n % len(categories)],
                status=Post.Status.RELEASED,
                published_at=now - timedelta(hours=6 * (n + 1)),
                meta_description=demo.meta_description,
            )
        )
    created = Post.objects.bulk_create(posts, batch_size=500)
    tags = {demo.pk: list(demo.tags.all()) for demo in demos}
    TaggedItem.objects.bulk_create(
        [
            TaggedItem(content_object=post, tag=tag)
            for n, post in enumerate(created)
            for tag in tags[demos[n % len(demos)].pk]
        ],
        batch_size=1000,
    )
    if connection.vendor == "postgresql":
        # Fresh planner statistics, as autovacuum would gather soon after such an insert:
        # without them PostgreSQL joins every post before sorting for a page of ten.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(f"{Post.objects.count()} posts")


if __name__ == "__main__":
    generate(int(sys.argv[1]) if len(sys.argv) > 1 else 2000)
