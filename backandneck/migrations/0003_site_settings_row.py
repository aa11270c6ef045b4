from django.db import migrations


def create_site_settings(apps, schema_editor):
    # The one row exists from the start, so the first page view doesn't write it (which would
    # count as a content change and empty the page cache it is filling).
    SiteSettings = apps.get_model("backandneck", "SiteSettings")
    SiteSettings.objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("backandneck", "0002_postal_address")]

    operations = [migrations.RunPython(create_site_settings, migrations.RunPython.noop)]
