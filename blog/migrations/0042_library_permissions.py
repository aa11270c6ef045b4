from django.db import migrations

# Editors look after the media library; authors add images and describe them, as in WordPress,
# but only editors delete them.
ROLE_PERMISSIONS = {
    "Editor": ["add_libraryimage", "change_libraryimage", "delete_libraryimage", "view_libraryimage"],
    "Author": ["add_libraryimage", "change_libraryimage", "view_libraryimage"],
}


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after all migrations; the roles need them now.
    app_config = apps.get_app_config("blog")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, codenames in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="blog", codename__in=codenames)
        )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, codenames in ROLE_PERMISSIONS.items():
        for group in Group.objects.filter(name=role):
            group.permissions.remove(
                *Permission.objects.filter(content_type__app_label="blog", codename__in=codenames)
            )


class Migration(migrations.Migration):
    dependencies = [("blog", "0041_existing_images_join_library"), ("auth", "0012_alter_user_first_name_max_length")]

    operations = [migrations.RunPython(grant, revoke)]
