from django.db import migrations

# Editors choose when the weekly issue goes and how fast (the sending settings page).
EDITOR_PERMISSIONS = ["view_sendingsettings", "change_sendingsettings"]


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after all migrations; the role needs them now.
    app_config = apps.get_app_config("newsletter")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(
        content_type__app_label="newsletter", codename__in=EDITOR_PERMISSIONS
    )
    for editor in apps.get_model("auth", "Group").objects.filter(name="Editor"):
        editor.permissions.add(*permissions)


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(
        content_type__app_label="newsletter", codename__in=EDITOR_PERMISSIONS
    )
    for editor in apps.get_model("auth", "Group").objects.filter(name="Editor"):
        editor.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [("newsletter", "0020_deliverability_and_schedule")]

    operations = [migrations.RunPython(grant, revoke)]
