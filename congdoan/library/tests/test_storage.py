"""Files go through Django's storage API: with LIBRARY_S3_BUCKET they land in an
S3-compatible bucket (here a local fake S3 server, moto, speaking the S3 HTTP API)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from congdoan import testing
from congdoan.library import services
from congdoan.library.models import Status
from congdoan.library.tests import helpers

pytestmark = pytest.mark.django_db


@pytest.fixture
def fake_s3(settings: Any) -> Iterator[Any]:
    boto3 = testing.require_module("boto3")
    server_mod = testing.require_module("moto.server", "moto")
    server = server_mod.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id="cds",
        aws_secret_access_key="cds-secret",
        region_name="us-east-1",
    )
    client.create_bucket(Bucket="thu-vien")
    settings.STORAGES = {
        **settings.STORAGES,
        "library": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": "thu-vien",
                "endpoint_url": endpoint,
                "access_key": "cds",
                "secret_key": "cds-secret",
                "region_name": "us-east-1",
                "default_acl": "private",
                "file_overwrite": False,
            },
        },
    }
    yield client
    server.stop()


def test_uploads_are_stored_once_in_the_bucket_and_served_from_it(
    cast, run_on_commit, client_of, fake_s3
):
    data = helpers.text_pdf(helpers.PLAN.as_text())
    doc = run_on_commit(
        services.document_upload,
        actor=cast.district_officer,
        unit=cast.district,
        name="kh.pdf",
        data=data,
    )
    run_on_commit(
        services.upload_many,
        actor=cast.admin,
        unit=cast.unit_a,
        files=[("ban-sao.pdf", data)],
        visibility="unit",
    )
    doc.refresh_from_db()
    assert doc.status == Status.READY and doc.number == "21/KH-LĐLĐ"
    keys = [o["Key"] for o in fake_s3.list_objects_v2(Bucket="thu-vien")["Contents"]]
    assert keys == [doc.blob.file.name]
    response = client_of(cast.district_officer).get(f"/tai-lieu/{doc.pk}/tep/")
    assert response.status_code == 200 and b"".join(response.streaming_content) == data
