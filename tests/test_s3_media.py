"""
Media on S3 (docs/production.md) against moto's S3 emulator, which enforces bucket policies as
S3 does: with deploy/s3-media-policy.json applied, every image a public page shows must load
for an anonymous reader.
"""

import json
import re
import urllib.request
from pathlib import Path

import boto3
import pytest
from django.apps import apps
from django.db import models

from blog import renditions, wordpress
from people.models import AuthorProfile

pytestmark = pytest.mark.django_db

POLICY = Path(__file__).resolve().parent.parent / "deploy" / "s3-media-policy.json"
BUCKET = "backandneck-media"


def public_prefixes():
    resources = json.loads(POLICY.read_text())["Statement"][0]["Resource"]
    return {resource.removeprefix(f"arn:aws:s3:::{BUCKET}/") for resource in resources}


@pytest.fixture
def s3(settings, monkeypatch):
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    client = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1")
    client.create_bucket(Bucket=BUCKET)
    client.put_bucket_policy(Bucket=BUCKET, Policy=POLICY.read_text())
    # As backandneck/settings.py sets them for AWS_STORAGE_BUCKET_NAME.
    settings.AWS_STORAGE_BUCKET_NAME = BUCKET
    settings.AWS_S3_ENDPOINT_URL = endpoint
    settings.AWS_S3_REGION_NAME = "us-east-1"
    settings.AWS_QUERYSTRING_AUTH = False
    settings.AWS_S3_FILE_OVERWRITE = False
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "storages.backends.s3.S3Storage"},
    }
    yield endpoint
    server.stop()


def anonymous_status(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_every_image_a_page_shows_from_s3_loads_for_readers(
    s3, client, editor, make_post, make_image, django_capture_on_commit_callbacks
):
    client.force_login(editor)
    uploaded = client.post(
        "/ckeditor/upload/?responseType=json",
        {"upload": make_image()},
        headers={"Origin": "http://testserver"},
    )
    body_image = uploaded.json()["url"]
    assert body_image.startswith(s3)
    with django_capture_on_commit_callbacks(execute=True):
        post = make_post(
            featured_image=make_image("desk.jpg", color=(20, 40, 60)),
            body=f'<p><img src="{body_image}" alt="A desk set up well"></p>',
        )
        profile = AuthorProfile.objects.create(
            user=post.author, slug="maya-writer", photo=make_image("maya.jpg", size=(400, 400))
        )
    client.logout()

    html = client.get(post.get_absolute_url()).content.decode()
    html += client.get(profile.get_absolute_url()).content.decode()
    urls = set(re.findall(rf'(?:src="|srcset="|content="|, )({re.escape(s3)}/[^" ,]+)', html))
    urls.add(post.featured_image.url)  # The original, for feeds, mail and search engines.
    urls.add(body_image)  # Pages show its renditions; feeds and mail the original.
    kinds = {url.removeprefix(f"{s3}/{BUCKET}/").split("/")[0] for url in urls}
    assert kinds == {"library", "posts", "renditions", "people"}, urls
    refused = {url: status for url in urls if (status := anonymous_status(url)) != 200}
    assert not refused


def test_the_bucket_policy_covers_every_folder_the_site_writes_to(settings):
    folders = {settings.CKEDITOR_UPLOAD_PATH, f"{renditions.folder_for('x').split('/')[0]}/"}
    folders.add(f"{wordpress.CONTENT_IMAGES_FOLDER.split('/')[0]}/")
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, models.FileField):
                folders.add(f"{str(field.upload_to).split('/')[0]}/")
    assert {f"{folder}*" for folder in folders} <= public_prefixes()


def test_the_rest_of_the_bucket_stays_private(s3):
    client = boto3.client("s3", endpoint_url=s3, region_name="us-east-1")
    client.put_object(Bucket=BUCKET, Key="exports/subscribers.csv", Body=b"email\n")
    assert anonymous_status(f"{s3}/{BUCKET}/exports/subscribers.csv") == 403
