import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tests.personas import world_fixture  # noqa: F401


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (11, 92, 173)).save(buffer, format="PNG")
    return buffer.getvalue()


def profile(**extra) -> dict:
    return {"head_title": "Wali Kota", "head_name": "dr. Christian Widodo", **extra}


def test_it_stores_a_letterhead_logo_and_serves_it_only_through_the_checked_view(client, world):
    client.force_login(world.secretariat)
    logo = SimpleUploadedFile("logo.png", png_bytes(), content_type="image/png")

    response = client.post("/organisasi/53.71/ubah/", profile(logo=logo))

    assert response.status_code == 302
    served = client.get("/organisasi/53.71/logo/")
    assert served.status_code == 200
    assert b"".join(served.streaming_content).startswith(b"\x89PNG")
    client.force_login(world.jambi_secretariat)
    assert client.get("/organisasi/53.71/logo/").status_code == 404


def test_it_refuses_a_file_posing_as_a_logo_and_keeps_what_was_typed(client, world):
    client.force_login(world.secretariat)
    fake = SimpleUploadedFile("logo.png", b"MZ\x90\x00 not an image", content_type="image/png")

    response = client.post("/organisasi/53.71/ubah/", profile(head_name="Nama Baru", logo=fake))

    assert response.status_code == 200
    page = response.content.decode()
    assert "errorlist" in page
    assert 'value="Nama Baru"' in page
    world.kupang.refresh_from_db()
    assert not world.kupang.logo
