import django.db.models.deletion
from django.db import migrations, models

# The index Django made for the foreign key (its name is derived from the table and column, so
# it is the same on every database). Dropped on its own: AlterField would also drop and re-add
# the foreign key constraint, checking every delivery row again under a lock.
INDEX = "newsletter_delivery_issue_id_7b323103"


class Migration(migrations.Migration):
    dependencies = [
        ("newsletter", "0003_delivery_claims"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    f'DROP INDEX IF EXISTS "{INDEX}"',
                    f'CREATE INDEX "{INDEX}" ON "newsletter_delivery" ("issue_id")',
                ),
            ],
            state_operations=[
                migrations.AlterField(
                    model_name="delivery",
                    name="issue",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="deliveries",
                        to="newsletter.issue",
                    ),
                ),
            ],
        ),
    ]
