"""The audio bulletin: espeak-ng's speech, the MP3 encoder, the stored bulletin, the task the
officer starts, the podcast feed and its public files."""

from __future__ import annotations

import io
import math
import shutil
import struct
import sys
import wave
from typing import Any
from xml.etree import ElementTree

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from congdoan.audit.models import AuditEntry
from congdoan.content import audio
from congdoan.content.audio import (
    EncodedAudio,
    EspeakEngine,
    Speech,
    SpeechFailed,
    bulletin_media,
    bulletin_text,
    encode_mp3,
    product_audio_render,
)
from congdoan.content.models import MediaKind, Product, ProductMedia, ProductStatus, Sharing
from congdoan.testing import missing, require_module
from congdoan.text.readaloud import reading_time

SUMMARY = (
    "Sáng 27/11/2026, CĐCS Công ty May tổ chức hội nghị NLĐ với hơn 200 đoàn viên. "
    "Mỗi người được hỗ trợ 1.250.000 đồng."
)


def tone_wav(seconds: float = 1.0, rate: int = 22050) -> bytes:
    """A 440 Hz tone, 16-bit mono: what an engine gives, without an engine."""
    frames = b"".join(
        struct.pack("<h", int(8000 * math.sin(2 * math.pi * 440 * i / rate)))
        for i in range(int(seconds * rate))
    )
    out = io.BytesIO()
    with wave.open(out, "wb") as writer:
        writer.setnchannels(1)
        writer.setsampwidth(2)
        writer.setframerate(rate)
        writer.writeframes(frames)
    return out.getvalue()


class ToneEngine:
    """A stand-in engine (the TTSEngine interface): one second of tone per call."""

    name = "tone"

    def __init__(self) -> None:
        self.texts: list[str] = []

    def unavailable(self) -> str | None:
        return None

    def synthesize(self, text: str) -> Speech:
        self.texts.append(text)
        return Speech(tone_wav())


def make_product(unit: Any, **fields: Any) -> Product:
    defaults: dict[str, Any] = {
        "title": "Hội nghị người lao động 2026",
        "slug": "hoi-nghi-nguoi-lao-dong-2026",
        "summary": SUMMARY,
        "status": ProductStatus.PUBLISHED,
        "sharing": Sharing.PUBLIC,
        "published_at": timezone.now(),
    }
    defaults.update(fields)
    return Product.objects.create(unit=unit, **defaults)


def require_espeak() -> None:
    if shutil.which("espeak-ng") is None:
        missing("espeak-ng", "the audio bulletin's engine; make system-deps installs it")


# --- the engine and the encoder (no database) -------------------------------------------


def test_espeak_reads_vietnamese_for_about_the_announced_time():
    require_espeak()
    text = bulletin_text(Product(title="Hội nghị người lao động", summary=SUMMARY))
    speech = EspeakEngine().synthesize(text)
    assert speech.wav[:4] == b"RIFF" and len(speech.frames()) > 10_000
    announced = reading_time(text).total_seconds()
    # The engine's rate is set so the recording lasts about what the script announces.
    assert 0.6 * announced <= speech.duration <= 1.4 * announced


def test_espeak_missing_says_what_to_install():
    engine = EspeakEngine(binary="/nonexistent/espeak-ng")
    assert "espeak-ng" in (engine.unavailable() or "")
    with pytest.raises(SpeechFailed, match="espeak-ng"):
        engine.synthesize("xin chào")


def test_unknown_engine_is_refused_by_name():
    with pytest.raises(SpeechFailed, match="giong-la"):
        audio.get_engine("giong-la")


def test_another_engine_plugs_in_by_name():
    audio.register_engine("tone", ToneEngine)
    try:
        assert audio.get_engine("tone").synthesize("x").duration == pytest.approx(1.0)
    finally:
        audio._ENGINES.pop("tone")


def test_mp3_encoder_makes_mpeg_frames_at_the_bulletin_bitrate():
    encoded = encode_mp3(Speech(tone_wav(seconds=2.0)))
    assert encoded.content_type == "audio/mpeg" and encoded.extension == "mp3"
    assert not encoded.note
    # An MPEG audio frame starts with 11 set bits.
    assert encoded.data[0] == 0xFF and encoded.data[1] & 0xE0 == 0xE0
    expected = audio.MP3_BITRATE_KBPS * 1000 / 8 * 2.0
    assert 0.7 * expected <= len(encoded.data) <= 1.3 * expected


def test_without_lameenc_the_bulletin_stays_wav_and_says_so(monkeypatch):
    monkeypatch.setitem(sys.modules, "lameenc", None)  # import lameenc → ImportError
    wav = tone_wav()
    encoded = encode_mp3(Speech(wav))
    assert encoded == EncodedAudio(wav, "audio/wav", "wav", note=encoded.note)
    assert "lameenc" in encoded.note


def test_bulletin_text_is_title_then_short_version_in_words():
    text = bulletin_text(Product(title="Hỗ trợ NLĐ", summary="Mức 1.250.000 đồng."))
    assert text == "Hỗ trợ người lao động.\nMức một triệu hai trăm năm mươi nghìn đồng."


# --- the stored bulletin, the task and the views (database) -----------------------------


@pytest.mark.django_db
def test_render_keeps_an_mp3_bulletin_replacing_the_previous_one(cast):
    product = make_product(cast.unit_a)
    uploaded = ProductMedia.objects.create(
        product=product, kind=MediaKind.AUDIO, file=ContentFile(b"ID3", name="phong-van.mp3")
    )
    engine = ToneEngine()
    first = product_audio_render(product=product, actor=cast.officer_a, engine=engine)
    second = product_audio_render(product=product, actor=cast.officer_a, engine=engine)
    assert engine.texts[0].startswith("Hội nghị người lao động hai nghìn không trăm hai mươi sáu.")
    assert "công đoàn cơ sở" in engine.texts[0].lower()
    media = second.media
    assert media.kind == MediaKind.AUDIO and media.content_type == "audio/mpeg"
    assert media.size == media.file.size > 0 and (media.file.name or "").endswith(".mp3")
    assert second.duration == pytest.approx(1.0)
    assert not ProductMedia.objects.filter(pk=first.media.pk).exists()
    assert ProductMedia.objects.filter(pk=uploaded.pk).exists()  # the officer's own file stays
    assert bulletin_media(product) == media
    entry = AuditEntry.objects.filter(action="content.audio_render").latest("pk")
    assert entry.actor == cast.officer_a and entry.changes["format"] == "mp3"


@pytest.mark.django_db(transaction=True)
def test_an_officer_asks_and_the_task_reads_the_product_aloud(cast, client_of):
    require_espeak()
    product = make_product(cast.unit_a)
    response = client_of(cast.officer_a).post(f"/noi-dung/{product.pk}/loa/tao-am-thanh/")
    assert response.status_code == 302
    media = bulletin_media(product)
    assert media is not None and media.size > 5_000
    page = client_of(cast.officer_a).get(f"/noi-dung/{product.pk}/loa/")
    assert b"<audio" in page.content
    played = client_of(cast.officer_a).get(f"/noi-dung/{product.pk}/loa/am-thanh/")
    assert played.status_code == 200 and played["Content-Type"] == "audio/mpeg"
    assert b"".join(played.streaming_content)[:1] in (b"\xff", b"I")


@pytest.mark.django_db
def test_only_the_units_managers_make_its_audio(cast, client_of):
    public = make_product(cast.unit_a)
    draft = make_product(cast.unit_a, slug="nhap", status=ProductStatus.DRAFT, published_at=None)
    url = "/noi-dung/{}/loa/tao-am-thanh/"
    # B's officer sees A's public product but does not manage A; A's draft is hidden from B.
    assert client_of(cast.officer_b).post(url.format(public.pk)).status_code == 403
    assert client_of(cast.officer_b).post(url.format(draft.pk)).status_code == 404
    assert client_of(cast.member_user).post(url.format(public.pk)).status_code == 403
    assert bulletin_media(public) is None and bulletin_media(draft) is None


@pytest.mark.django_db
def test_a_product_without_short_version_has_nothing_to_read(cast, client_of):
    product = make_product(cast.unit_a, summary="")
    response = client_of(cast.officer_a).post(
        f"/noi-dung/{product.pk}/loa/tao-am-thanh/", follow=True
    )
    assert "chưa có bản ngắn" in response.content.decode()
    assert bulletin_media(product) is None


@pytest.mark.django_db
def test_podcast_feed_lists_public_audio_bulletins_with_enclosures(cast, client):
    public = make_product(cast.unit_a)
    product_audio_render(product=public, engine=ToneEngine())
    internal = make_product(
        cast.unit_a, title="Tin nội bộ", slug="tin-noi-bo", sharing=Sharing.UNIT
    )
    product_audio_render(product=internal, engine=ToneEngine())
    make_product(cast.unit_a, title="Không có âm thanh", slug="khong-am-thanh")

    response = client.get(f"/tin/podcast/{cast.unit_a.code}.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    channel = ElementTree.fromstring(response.content).find("channel")
    assert channel is not None
    items = channel.findall("item")
    assert [i.findtext("title") for i in items] == [public.title]
    enclosure = items[0].find("enclosure")
    assert enclosure is not None
    media = bulletin_media(public)
    assert media is not None
    assert enclosure.get("type") == "audio/mpeg"
    assert enclosure.get("length") == str(media.size)
    url = enclosure.get("url") or ""
    assert url.startswith("http") and url.endswith(f"/am-thanh/{media.pk}/")

    path = url.split("://", 1)[1].split("/", 1)[1]
    played = client.get("/" + path)
    assert played.status_code == 200 and played["Content-Type"] == "audio/mpeg"


@pytest.mark.django_db
def test_audio_of_a_product_not_public_is_not_served_to_the_public(cast, client):
    internal = make_product(cast.unit_a, slug="noi-bo", sharing=Sharing.UNIT)
    media = product_audio_render(product=internal, engine=ToneEngine()).media
    url = f"/tin/{cast.unit_a.code}/{internal.slug}/am-thanh/{media.pk}/"
    assert client.get(url).status_code == 404
    assert client.get("/tin/podcast/KHONG-CO.xml").status_code == 404


@pytest.mark.django_db
def test_podcast_feed_reads_the_bulletins_in_one_query_not_one_per_product(cast, client):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"/tin/podcast/{cast.unit_a.code}.xml").status_code == 200
        return len(captured)

    product_audio_render(product=make_product(cast.unit_a), engine=ToneEngine())
    one = queries()
    for n in range(3):
        product = make_product(cast.unit_a, title=f"Tin {n}", slug=f"tin-{n}")
        product_audio_render(product=product, engine=ToneEngine())
    assert queries() == one


# --- OGG beside MP3, durations, the public page's player ------------------------------------


def test_ogg_encoder_makes_an_ogg_vorbis_stream_of_the_speech():
    require_module("soundfile")
    import soundfile

    encoded = audio.encode_ogg(Speech(tone_wav(2.0)))
    assert encoded is not None
    assert encoded.content_type == "audio/ogg" and encoded.extension == "ogg"
    assert encoded.data[:4] == b"OggS" and b"vorbis" in encoded.data[:200]
    info = soundfile.info(io.BytesIO(encoded.data))
    assert info.samplerate == 22050 and info.duration == pytest.approx(2.0, abs=0.05)
    assert len(encoded.data) < len(tone_wav(2.0)) / 4  # compressed, not a WAV in a wrapper


@pytest.mark.django_db
def test_render_keeps_the_ogg_and_the_duration_beside_the_mp3(
    cast, django_capture_on_commit_callbacks
):
    require_module("soundfile")
    product = make_product(cast.unit_a)
    first = product_audio_render(product=product, engine=ToneEngine()).media
    first_ogg = audio.audio_variant(first, "audio/ogg")
    assert first_ogg is not None
    storage = first.file.storage
    assert storage.exists(str(first_ogg["name"])) and str(first_ogg["name"]).endswith(".ogg")
    assert first.duration_seconds == 1
    with django_capture_on_commit_callbacks(execute=True):
        second = product_audio_render(product=product, engine=ToneEngine()).media
    assert not storage.exists(str(first_ogg["name"]))  # the old bulletin's OGG went with it
    assert not storage.exists(first.file.name or "")
    assert audio.audio_variant(second, "audio/ogg") is not None


@pytest.mark.django_db
def test_podcast_feed_gives_each_bulletins_duration_and_length(cast, client):
    product = make_product(cast.unit_a)
    media = product_audio_render(product=product, engine=ToneEngine()).media
    old = make_product(cast.unit_a, title="Bản tin cũ", slug="ban-tin-cu")
    kept = ProductMedia.objects.create(  # a bulletin made before durations were kept
        product=old,
        kind=MediaKind.AUDIO,
        content_type="audio/mpeg",
        size=60_000,
        file=ContentFile(b"\xff" * 10, name=f"{audio.BULLETIN_FILE_STEM}.mp3"),
    )
    response = client.get(f"/tin/podcast/{cast.unit_a.code}.xml")
    root = ElementTree.fromstring(response.content)
    ns = {"itunes": "http://www.itunes.com/dtds/podcast-1.0.dtd"}
    durations = {
        item.findtext("title"): item.findtext("itunes:duration", namespaces=ns)
        for item in root.iter("item")
    }
    assert durations == {product.title: "1", old.title: "10"}  # 60 000 B at 48 kbit/s
    lengths = [str(item.find("enclosure").get("length")) for item in root.iter("item")]  # type: ignore[union-attr]
    assert sorted(lengths) == sorted([str(media.size), str(kept.size)])


@pytest.mark.django_db
def test_public_page_plays_the_bulletin_in_ogg_and_mp3(cast, client):
    require_module("soundfile")
    product = make_product(cast.unit_a)
    media = product_audio_render(product=product, engine=ToneEngine()).media
    text = client.get(product.get_absolute_url()).content.decode()
    base = f"{product.get_absolute_url()}am-thanh/{media.pk}/"
    assert '<audio controls preload="none">' in text
    ogg_at, mp3_at = text.index(f'<source src="{base}ogg/"'), text.index(f'<source src="{base}"')
    assert ogg_at < mp3_at  # the smaller file first; a browser without Vorbis takes the MP3
    played = client.get(f"{base}ogg/")
    assert played.status_code == 200 and played["Content-Type"] == "audio/ogg"
    assert b"".join(played.streaming_content)[:4] == b"OggS"


@pytest.mark.django_db
def test_public_page_without_ogg_offers_the_mp3_alone_and_no_ogg_address(cast, client):
    product = make_product(cast.unit_a)
    media = ProductMedia.objects.create(
        product=product,
        kind=MediaKind.AUDIO,
        content_type="audio/mpeg",
        size=10,
        file=ContentFile(b"\xff" * 10, name=f"{audio.BULLETIN_FILE_STEM}.mp3"),
    )
    text = client.get(product.get_absolute_url()).content.decode()
    assert text.count("<source ") == 1
    assert client.get(f"{product.get_absolute_url()}am-thanh/{media.pk}/ogg/").status_code == 404
