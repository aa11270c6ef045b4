from django.db import migrations

AUTHOR_PERMISSIONS = [
    ("blog", "add_post"),
    ("blog", "change_post"),
    ("blog", "delete_post"),
    ("blog", "view_post"),
    ("blog", "view_category"),
    ("taggit", "view_tag"),
]

EDITOR_PERMISSIONS = [
    *AUTHOR_PERMISSIONS,
    ("blog", "publish_post"),
    ("blog", "add_category"),
    ("blog", "change_category"),
    ("blog", "delete_category"),
    ("taggit", "add_tag"),
    ("taggit", "change_tag"),
    ("taggit", "delete_tag"),
    ("flatpages", "add_flatpage"),
    ("flatpages", "change_flatpage"),
    ("flatpages", "delete_flatpage"),
    ("flatpages", "view_flatpage"),
    ("backandneck", "change_sitesettings"),
    ("backandneck", "view_sitesettings"),
    ("backandneck", "add_sociallink"),
    ("backandneck", "change_sociallink"),
    ("backandneck", "delete_sociallink"),
    ("backandneck", "view_sociallink"),
]


def create_roles(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after all migrations; the roles need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, wanted in [("Author", AUTHOR_PERMISSIONS), ("Editor", EDITOR_PERMISSIONS)]:
        group, _ = Group.objects.get_or_create(name=name)
        for app_label, codename in wanted:
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["Author", "Editor"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("blog", "0001_initial"),
        ("backandneck", "0001_initial"),
        ("flatpages", "0001_initial"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    # The site settings moved to siteconfig later; its first migration relabels the permissions
    # made here, so it must come after.
    run_before = [("siteconfig", "0001_initial")]

    operations = [migrations.RunPython(create_roles, remove_roles)]
