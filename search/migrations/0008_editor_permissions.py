from django.db import migrations

# Editors keep synonyms and recommended results and read the search counts (README "Search").
EDITOR_PERMISSIONS = [
    *(f"{action}_{model}" for model in ("synonym", "recommendation")
      for action in ("add", "change", "delete", "view")),
    "view_dailysearch",
]  # fmt: skip


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after all migrations; the role needs them now.
    app_config = apps.get_app_config("search")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    search = Permission.objects.filter(content_type__app_label="search")
    editor, _ = Group.objects.get_or_create(name="Editor")
    editor.permissions.add(*search.filter(codename__in=EDITOR_PERMISSIONS))


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    for group in apps.get_model("auth", "Group").objects.filter(name="Editor"):
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="search"))


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0007_postgres_page_documents"),
        ("blog", "0002_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
