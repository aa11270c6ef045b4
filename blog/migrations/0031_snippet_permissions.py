from django.db import migrations

# Editors keep the reusable snippets; everyone may read them, to insert them.
EDITOR_PERMISSIONS = ["add_snippet", "change_snippet", "delete_snippet", "view_snippet"]
AUTHOR_PERMISSIONS = ["view_snippet"]


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after all migrations; the roles need them now.
    app_config = apps.get_app_config("blog")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, codenames in [("Editor", EDITOR_PERMISSIONS), ("Author", AUTHOR_PERMISSIONS)]:
        for group in Group.objects.filter(name=role):
            group.permissions.add(
                *Permission.objects.filter(content_type__app_label="blog", codename__in=codenames)
            )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name__in=["Editor", "Author"]):
        group.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="blog", codename__in=EDITOR_PERMISSIONS
            )
        )


class Migration(migrations.Migration):
    dependencies = [("blog", "0030_editors_tools")]

    operations = [migrations.RunPython(grant, revoke)]
