from django.db import migrations

# Editors write and send issues. Subscriber data (personal data) stays with administrators.
EDITOR_PERMISSIONS = [
    ("newsletter", "add_issue"),
    ("newsletter", "change_issue"),
    ("newsletter", "view_issue"),
    ("newsletter", "send_issue"),
    ("newsletter", "add_issuepost"),
    ("newsletter", "change_issuepost"),
    ("newsletter", "delete_issuepost"),
    ("newsletter", "view_issuepost"),
    ("newsletter", "view_delivery"),
    ("newsletter", "view_weeklyrun"),
]


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after all migrations; the role needs them now.
    app_config = apps.get_app_config("newsletter")
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
    Permission = apps.get_model("auth", "Permission")
    for group in apps.get_model("auth", "Group").objects.filter(name="Editor"):
        group.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="newsletter",
                codename__in=[codename for _, codename in EDITOR_PERMISSIONS],
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("newsletter", "0001_initial"),
        ("blog", "0002_roles"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
