"""The public consultation pages: anonymous visitors, moderation before anything is shown, the
spam guards, escaping, the length cap and the closing date."""

from datetime import timedelta

import time_machine
from django.urls import reverse
from django.utils import timezone

from sikla.core.models import Notification
from sikla.participation import actions
from sikla.participation.models import ModerationStatus, PublicComment
from sikla.protection import spam
from tests.personas import JAMBI

from .conftest import make_consultation

TEXT = "Mohon radius larangan dihitung dari pagar sekolah."


def detail_url(consultation) -> str:
    return reverse("participation:public_detail", args=[consultation.uid])


def comment(**overrides) -> dict:
    data = {
        "text": TEXT,
        "name": "Nadia",
        "is_child": "on",
        "age_group": "14_17",
        spam.STARTED_FIELD: spam.form_token(),
        spam.HONEYPOT: "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def moderate(world, client, consultation, item, decision="approve"):
    client.force_login(world.secretariat)
    url = reverse(
        "participation:moderate",
        args=[consultation.local_government_id, consultation.uid, item.uid],
    )
    response = client.post(url, {"decision": decision})
    client.logout()
    return response


def test_it_serves_the_list_and_the_draft_to_anonymous_visitors(client, world, consultation):
    jambi = make_consultation(world, lg=world.jambi, title="Rancangan Perda Jambi")
    later = make_consultation(world, opens=3, closes=20, title="Belum dibuka")
    page = client.get(reverse("participation:public_list")).content.decode()
    assert consultation.title in page and jambi.title in page
    assert later.title not in page
    only_jambi = client.get(reverse("participation:public_list"), {"pemda": JAMBI})
    assert jambi.title in only_jambi.content.decode()
    assert consultation.title not in only_jambi.content.decode()
    response = client.get(detail_url(consultation))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Isi rancangan." in page and 'name="text"' in page
    assert "<script" not in page  # no JavaScript on the public pages
    assert client.get(detail_url(later)).status_code == 404


def test_a_comment_is_shown_only_after_the_secretariat_approves_it(
    client, world, consultation, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(detail_url(consultation), comment())
    assert response.status_code == 302
    assert response.url == detail_url(consultation) + "#komentar"
    page = client.get(detail_url(consultation)).content.decode()
    assert "akan tampil setelah diperiksa" in page
    assert TEXT not in page
    stored = PublicComment.objects.get()
    assert stored.status == ModerationStatus.PENDING and stored.is_child
    note = Notification.objects.get(recipient=world.secretariat)
    assert note.link == actions.moderation_link(consultation)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(detail_url(consultation), comment(text="Satu lagi."))
    assert Notification.objects.filter(recipient=world.secretariat).count() == 1  # one per queue
    assert not Notification.objects.filter(recipient=world.jambi_secretariat).exists()

    assert moderate(world, client, consultation, stored).status_code == 302
    page = client.get(detail_url(consultation)).content.decode()
    assert TEXT in page and "Nadia" in page
    assert "Satu lagi." not in page  # still pending

    moderate(world, client, consultation, stored, "reject")
    assert TEXT not in client.get(detail_url(consultation)).content.decode()


def test_the_secretariats_response_is_shown_with_the_comment(client, world, consultation):
    item = actions.submit_public_comment(consultation, text=TEXT)
    actions.moderate_comment(item, actor=world.secretariat, decision=actions.APPROVE)
    client.force_login(world.secretariat)
    url = reverse("participation:respond", args=[world.kupang.code, consultation.uid, item.uid])
    response = client.post(
        url, {"response_text": "Radius dihitung dari pagar.", "response_status": "accepted"}
    )
    assert response.status_code == 302
    client.logout()
    page = client.get(detail_url(consultation)).content.decode()
    assert "Radius dihitung dari pagar." in page and "Diterima" in page
    assert "Warga (tanpa nama)" in page


def test_markup_in_a_comment_is_shown_escaped(client, world, consultation):
    attack = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    client.post(detail_url(consultation), comment(text=attack, name=""))
    item = PublicComment.objects.get()
    assert item.text == attack  # kept as written; escaping happens on output
    moderate(world, client, consultation, item)
    page = client.get(detail_url(consultation)).content.decode()
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert "<script>alert" not in page and "<img src=x" not in page
    client.force_login(world.secretariat)
    moderation = client.get(
        reverse("participation:moderation", args=[world.kupang.code, consultation.uid]),
        {"status": "all"},
    ).content.decode()
    assert "&lt;script&gt;" in moderation and "<script>alert" not in moderation


def test_markup_in_the_name_is_refused(client, world, consultation):
    response = client.post(detail_url(consultation), comment(name="<b>Budi</b>"))
    assert response.status_code == 200
    assert "Teks tidak boleh berisi tag HTML" in response.content.decode()
    assert PublicComment.objects.count() == 0


def test_an_oversized_comment_is_refused_with_a_message_and_kept(client, world, consultation):
    long_text = "a" * 2001
    response = client.post(detail_url(consultation), comment(text=long_text))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Komentar terlalu panjang: paling banyak 2000 karakter, Anda menulis 2001." in page
    assert long_text in page  # nothing typed is lost
    assert PublicComment.objects.count() == 0
    exactly = client.post(detail_url(consultation), comment(text="b" * 2000))
    assert exactly.status_code == 302


def test_an_enormous_body_gets_a_clear_page(client, world, consultation, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    response = client.post(detail_url(consultation), comment(text="a" * 20_000))
    assert response.status_code == 413
    assert "2.000 karakter" in response.content.decode()
    assert PublicComment.objects.count() == 0


def test_a_closed_consultation_refuses_comments(client, world):
    closed = make_consultation(world, opens=-20, closes=-1)
    page = client.get(detail_url(closed)).content.decode()
    assert 'data-testid="closed"' in page and 'name="text"' not in page
    response = client.post(detail_url(closed), comment())
    assert response.status_code == 200
    assert "sudah ditutup" in response.content.decode()
    assert PublicComment.objects.count() == 0


def test_comments_are_accepted_through_the_closing_day_and_not_after(client, world):
    consultation = make_consultation(world, opens=-2, closes=0)
    last_day = timezone.localtime().replace(hour=23, minute=50)
    with time_machine.travel(last_day, tick=False):
        assert client.post(detail_url(consultation), comment()).status_code == 302
    with time_machine.travel(last_day + timedelta(minutes=20), tick=False):
        refused = client.post(detail_url(consultation), comment(text="Terlambat."))
    assert refused.status_code == 200
    assert PublicComment.objects.count() == 1


def test_a_child_age_group_marks_a_childs_comment_and_an_adult_one_contradicts(
    client, world, consultation
):
    client.post(detail_url(consultation), comment(is_child=None, age_group="10_13"))
    assert PublicComment.objects.get().is_child
    response = client.post(detail_url(consultation), comment(age_group="30_59"))
    assert "bukan umur anak" in response.content.decode()
    assert PublicComment.objects.count() == 1


def test_it_limits_comments_per_client(client, world, consultation, settings):
    settings.PUBLIC_COMMENT_RATE_LIMIT = 2
    invalid = client.post(detail_url(consultation), comment(text=""))
    assert invalid.status_code == 200  # a refused form gives its use back
    for n in range(2):
        assert (
            client.post(detail_url(consultation), comment(text=f"Komentar {n}")).status_code == 302
        )
    blocked = client.post(detail_url(consultation), comment(text="Komentar 3"))
    assert blocked.status_code == 429
    assert blocked["Retry-After"] == str(spam.WINDOW_SECONDS)
    assert PublicComment.objects.count() == 2
    other = client.post(
        detail_url(consultation), comment(text="Dari tempat lain"), REMOTE_ADDR="10.0.0.9"
    )
    assert other.status_code == 302


def test_the_honeypot_answers_as_if_stored_and_stores_nothing(client, world, consultation):
    response = client.post(detail_url(consultation), comment(**{spam.HONEYPOT: "http://spam"}))
    assert response.status_code == 302
    assert PublicComment.objects.count() == 0


def test_a_tampered_or_too_fast_form_is_sent_back(client, world, consultation, settings):
    response = client.post(detail_url(consultation), comment(**{spam.STARTED_FIELD: "x:y:z"}))
    assert 'data-testid="form-error"' in response.content.decode()
    settings.COMPLAINT_MIN_SECONDS = 60
    fast = client.post(detail_url(consultation), comment())
    assert "terlalu cepat" in fast.content.decode()
    assert PublicComment.objects.count() == 0


def test_a_comment_full_of_links_is_refused(client, world, consultation):
    spammy = " ".join(f"https://iklan{n}.test" for n in range(4))
    response = client.post(detail_url(consultation), comment(text=spammy))
    assert "tautan (link)" in response.content.decode()
    assert PublicComment.objects.count() == 0


def test_the_draft_pdf_is_public_once_published_and_staff_only_before(client, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    pdf = SimpleUploadedFile("r.pdf", b"%PDF-1.4\n% rancangan\n", content_type="application/pdf")
    published = make_consultation(world, document=pdf)
    url = reverse("participation:public_document", args=[published.uid])
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    draft = make_consultation(
        world,
        opens=5,
        closes=9,
        title="Draf",
        document=SimpleUploadedFile("d.pdf", b"%PDF-1.4\n% draf\n"),
    )
    draft_url = reverse("participation:public_document", args=[draft.uid])
    assert client.get(draft_url).status_code == 404
    client.force_login(world.viewer)
    assert client.get(draft_url).status_code == 200
    client.force_login(world.jambi_secretariat)
    assert client.get(draft_url).status_code == 404
