from django.db import migrations

REDIRECT_PERMISSIONS = ["add_redirect", "change_redirect", "delete_redirect", "view_redirect"]


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after all migrations; the Editor role needs them now.
    app_config = apps.get_app_config("redirects")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editor, _ = Group.objects.get_or_create(name="Editor")
    editor.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="redirects", codename__in=REDIRECT_PERMISSIONS
        )
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for editor in Group.objects.filter(name="Editor"):
        editor.permissions.remove(
            *editor.permissions.filter(
                content_type__app_label="redirects", codename__in=REDIRECT_PERMISSIONS
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("blog", "0002_roles"),
        ("redirects", "0002_alter_redirect_new_path_help_text"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
