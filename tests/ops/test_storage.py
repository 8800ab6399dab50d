"""Uploaded files in S3-compatible object storage (SIKLA_STORAGE_URL): stored there, private,
served back only through SIKLA's checked views, case documents encrypted before they leave."""

import urllib.error
import urllib.request

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from sikla import settings as sikla_settings
from sikla.collection.actions import upload_evidence
from sikla.protection import actions as protection
from sikla.protection.models import ProtectionType, ServiceKind
from tests.personas import JAMBI, KUPANG, PERIOD_YEAR, world_fixture  # noqa: F401

from .servers import object_store

BUCKET = "sikla-berkas"


@pytest.fixture(scope="module")
def store():
    with object_store(BUCKET) as found:
        yield found


@pytest.fixture
def in_object_storage(settings, store):
    url, client = store
    settings.STORAGES = {**settings.STORAGES, "default": sikla_settings._file_storage(url)}
    return client


def stored_objects(client) -> dict[str, bytes]:
    listing = client.list_objects_v2(Bucket=BUCKET).get("Contents", [])
    return {
        o["Key"]: client.get_object(Bucket=BUCKET, Key=o["Key"])["Body"].read() for o in listing
    }


def test_evidence_goes_to_the_bucket_and_comes_back_only_through_the_checked_view(
    client, world, in_object_storage
):
    pdf = b"%PDF-1.4\n% SK Gugus Tugas KLA (uji penyimpanan objek)\n"
    submission = world.periods[KUPANG].submissions.get(indicator__number=1)
    evidence = upload_evidence(
        submission,
        actor=world.secretariat,
        upload=SimpleUploadedFile("sk-gugus.pdf", pdf, content_type="application/pdf"),
        title="SK Gugus Tugas",
        kind="decree",
    )

    key = f"berkas/{evidence.file.name}"
    assert stored_objects(in_object_storage)[key] == pdf
    grants = in_object_storage.get_object_acl(Bucket=BUCKET, Key=key)["Grants"]
    assert all(g["Grantee"].get("URI", "").find("AllUsers") < 0 for g in grants)
    endpoint = in_object_storage.meta.endpoint_url
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"{endpoint}/{BUCKET}/{key}")  # noqa: S310 - our own test server
    assert refused.value.code == 403  # no public address for a stranger

    url = reverse("collection:evidence_file", args=[KUPANG, PERIOD_YEAR, 1, evidence.uid])
    client.force_login(world.secretariat)
    assert b"".join(client.get(url).streaming_content) == pdf
    client.force_login(world.jambi_secretariat)
    assert client.get(url).status_code == 404


def test_case_documents_are_encrypted_before_they_reach_the_bucket(world, in_object_storage):
    complaint = protection.submit_public_complaint(
        local_government=world.kupang,
        description="Uji penyimpanan objek.",
        child_name="Melati Uji",
    )
    case = protection.take_complaint(complaint, actor=world.case_worker)
    case = protection.update_case(
        case, actor=world.case_worker, version=case.version, types=[ProtectionType.PHYSICAL]
    )
    pdf = b"%PDF-1.4\n% hasil visum uji, nama anak: Melati Uji\n"
    service = protection.record_service(
        case,
        actor=world.case_worker,
        kind=ServiceKind.HEALTH,
        date=timezone.localdate(),
        provider="RSUD Uji",
        files=[SimpleUploadedFile("visum Melati.pdf", pdf, content_type="application/pdf")],
    )
    document = service.documents.get()

    stored = stored_objects(in_object_storage)[f"berkas/{document.file.name}"]
    assert b"Melati" not in stored and b"%PDF" not in stored
    with document.file.open("rb") as handle:
        assert handle.read() == stored  # what SIKLA reads back is the ciphertext it wrote


@pytest.mark.parametrize("url", ["https://bucket.example.org/x", "s3://", "ftp://a:b@bucket/"])
def test_a_malformed_storage_url_stops_start_up_with_its_name(url):
    with pytest.raises(ImproperlyConfigured, match="SIKLA_STORAGE_URL"):
        sikla_settings._file_storage(url)
