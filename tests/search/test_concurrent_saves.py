"""Saving posts at the same time: two editors or importers never wait for each other's commit."""

import threading

import pytest
from django.db import connection, connections, transaction

from blog.models import Post

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's word counts"),
    pytest.mark.django_db(transaction=True),
]

# Words no other test uses: Django's flush between transactional tests leaves the counts alone.
BODY = "<p>Gentle cervicogenic stretches ease a stiff neck after a long day at the desk.</p>"


def word_counts(*words):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT word, documents FROM search_word_count WHERE word = ANY(%s) AND documents > 0",
            [list(words)],
        )
        return dict(cursor.fetchall())


def pending_changes():
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM search_word_delta")
        return cursor.fetchone()[0]


def test_a_post_saved_while_another_save_is_uncommitted_does_not_wait(make_post):
    first = make_post(title="Cervicogenic stretches", body=BODY)
    second = make_post(title="Desk stretches", body=BODY)
    saved, release, failure = threading.Event(), threading.Event(), []

    def save_and_hold_the_transaction_open():
        try:
            with transaction.atomic():
                post = Post.objects.get(pk=first.pk)
                post.body = BODY + "<p>Scapulothoracic rolls help as well.</p>"
                post.save()
                saved.set()
                release.wait(timeout=30)
        except Exception as error:  # Reported below: an assert in a thread would be lost.
            failure.append(error)
            saved.set()
        finally:
            connections.close_all()

    holder = threading.Thread(target=save_and_hold_the_transaction_open)
    holder.start()
    try:
        assert saved.wait(timeout=30) and not failure
        # The same words as the open transaction's post: before, this save waited on their
        # shared count rows until that transaction ended, here until lock_timeout failed it.
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '2s'")
            second.body = BODY + "<p>Radiocarpal circles too.</p>"
            second.save()
    finally:
        release.set()
        holder.join(timeout=30)
    assert not failure

    # Both changes count, folded or still pending.
    words = ("cervicogenic", "scapulothoracic", "radiocarpal")
    assert word_counts(*words) == {"cervicogenic": 2, "scapulothoracic": 1, "radiocarpal": 1}
    # The next save folds what others left pending.
    make_post(title="Costovertebral posture", body="<p>Sit back.</p>")
    assert pending_changes() == 0
    assert word_counts(*words, "costovertebral") == {
        "cervicogenic": 2, "scapulothoracic": 1, "radiocarpal": 1, "costovertebral": 1,
    }  # fmt: skip


def test_deleted_and_unpublished_posts_stop_counting_their_words(make_post):
    kept = make_post(title="Spondylolisthesis relief", body="<p>Gentle exercises.</p>")
    gone = make_post(title="Spondylolisthesis myths", body="<p>Piriformis myths busted.</p>")
    assert word_counts("spondylolisthesis", "piriformis") == {
        "spondylolisthesis": 2, "piriformis": 1,
    }  # fmt: skip
    gone.delete()
    assert word_counts("spondylolisthesis", "piriformis") == {"spondylolisthesis": 1}
    kept.status = Post.Status.DRAFT
    kept.save()
    assert word_counts("spondylolisthesis", "piriformis") == {}
