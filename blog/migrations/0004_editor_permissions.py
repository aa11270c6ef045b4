from django.db import migrations

# Editors manage redirects and share drafts through preview links.
EDITOR_PERMISSIONS = [
    ("redirects", "add_redirect"),
    ("redirects", "change_redirect"),
    ("redirects", "delete_redirect"),
    ("redirects", "view_redirect"),
    ("blog", "add_previewlink"),
    ("blog", "change_previewlink"),
    ("blog", "delete_previewlink"),
    ("blog", "view_previewlink"),
]


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after all migrations; the Editor role needs them now.
    for label in ("redirects", "blog"):
        app_config = apps.get_app_config(label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editor, _ = Group.objects.get_or_create(name="Editor")
    for app_label, codename in EDITOR_PERMISSIONS:
        editor.permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for editor in Group.objects.filter(name="Editor"):
        for app_label, codename in EDITOR_PERMISSIONS:
            editor.permissions.remove(
                *Permission.objects.filter(content_type__app_label=app_label, codename=codename)
            )


class Migration(migrations.Migration):
    dependencies = [
        ("blog", "0003_history_and_preview_links"),
        ("redirects", "0002_alter_redirect_new_path_help_text"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
