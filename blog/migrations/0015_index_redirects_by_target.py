from django.db import migrations


class Migration(migrations.Migration):
    """
    Moving a page updates every redirect that pointed at its old address (blog/redirects.py),
    found by new_path, which contrib.redirects does not index: an import of 10,000 posts scanned
    the whole table once per post.
    """

    dependencies = [
        ("blog", "0014_care_card_signs_label"),
        ("redirects", "0002_alter_redirect_new_path_help_text"),
    ]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS blog_redirect_by_target "
            "ON django_redirect (site_id, new_path)",
            "DROP INDEX IF EXISTS blog_redirect_by_target",
        ),
    ]
