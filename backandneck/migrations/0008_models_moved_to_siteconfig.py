from django.db import migrations


class Migration(migrations.Migration):
    """The site settings moved to the siteconfig app, tables and all (its 0001)."""

    dependencies = [
        ("backandneck", "0007_reading_grade_target"),
        ("siteconfig", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel("SocialLink"),
                migrations.DeleteModel("PageTimestamp"),
                migrations.DeleteModel("SiteSettings"),
            ],
        ),
    ]
