"""The logo and the superbills' signature on several machines: with object storage an
image saved on one node (its own PORTAL_DATA_DIR) is found by another node, which has
no copy on its disk, through the bucket (moto's S3 server, boto3 unchanged)."""

import pytest

from portal_app.services import stored_images
from portal_app.settings import reset_settings_cache

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def s3_mode(s3_server, monkeypatch):
    bucket = s3_server.new_bucket()
    for name, value in s3_server.env(bucket).items():
        monkeypatch.setenv(name, value)
    reset_settings_cache()
    yield s3_server.client(), bucket
    reset_settings_cache()


def test_an_image_saved_on_one_node_is_fetched_once_by_another(s3_mode, tmp_path):
    client, bucket = s3_mode
    node_a, node_b = tmp_path / "a", tmp_path / "b"
    name = stored_images.store(node_a / "brand", "logo", "png", PNG)
    assert (node_a / "brand" / name).read_bytes() == PNG
    keys = [o["Key"] for o in client.list_objects_v2(Bucket=bucket)["Contents"]]
    assert keys == [f"portal/shared/brand/{name}"]
    path = stored_images.logo_path(node_b, name)
    assert path == node_b / "brand" / name and path.read_bytes() == PNG
    # Once fetched, the node reads its own copy: the bucket is not asked again.
    client.delete_object(Bucket=bucket, Key=f"portal/shared/brand/{name}")
    assert stored_images.logo_path(node_b, name) == path


def test_a_removed_image_is_gone_for_every_node(s3_mode, tmp_path):
    client, bucket = s3_mode
    folder = tmp_path / "a" / "private"
    name = stored_images.store(folder, "signature", "png", PNG)
    stored_images.remove(folder, name, "signature", ("png", "jpg"))
    assert not (folder / name).exists()
    assert client.list_objects_v2(Bucket=bucket).get("Contents", []) == []
    assert stored_images.local_copy(tmp_path / "b" / "private", name, "signature",
                                    ("png", "jpg")) is None


def test_names_not_ours_never_reach_the_disk_or_the_bucket(s3_mode, tmp_path):
    for bad in ("../secret_key", "logo-zz.png", "logo-0123456789abcdef.exe", None):
        assert stored_images.logo_path(tmp_path, bad) is None
