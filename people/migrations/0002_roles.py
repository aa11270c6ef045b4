from django.db import migrations

# Editors manage author profiles and medical reviewers.
EDITOR_PERMISSIONS = [
    f"{action}_{model}"
    for model in ("authorprofile", "reviewer")
    for action in ("add", "change", "delete", "view")
]


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after all migrations; the roles need them now.
    app_config = apps.get_app_config("people")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    people = Permission.objects.filter(content_type__app_label="people")
    editor, _ = Group.objects.get_or_create(name="Editor")
    editor.permissions.add(*people.filter(codename__in=EDITOR_PERMISSIONS))


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    for group in apps.get_model("auth", "Group").objects.filter(name="Editor"):
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="people"))


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0001_initial"),
        ("blog", "0002_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
