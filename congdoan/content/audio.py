"""The audio bulletin: a product's short version read aloud by a text-to-speech engine.

Steps (`product_audio_render`, run by the task `render_product_audio`):

1. the text: the title and the short version ("Nhanh, Ngắn"), written out for reading aloud
   by `congdoan.text.readaloud` (numbers, dates, abbreviations in words);
2. speech: a `TTSEngine` turns it into a PCM WAV (`Speech`); engines are pluggable
   (`register_engine`), the one shipped is espeak-ng with its Northern Vietnamese voice "vi",
   run through `core.processes.run_child` (offline, in Debian: tools/system-deps.sh);
3. encoding: MP3 with `lameenc` (a PyPI wheel that carries LAME itself, so no system package
   and no network; MP3 plays on every phone, in every podcast app and on Zalo). Speech is
   mono, so 48 kbit/s at the voice's 22 050 Hz is clear and about 360 KB a minute. Without
   lameenc the WAV is kept as it is, and `EncodedAudio.note` says so (the officer sees it).
   Beside it, **OGG Vorbis** with `soundfile` (its PyPI wheel carries libsndfile with Ogg,
   Vorbis and Opus: again no system package), at about 39 kbit/s (`OGG_QUALITY`): a fifth
   smaller than the MP3. Vorbis, not Opus: Opus takes only 8, 12, 16,
   24 or 48 kHz and espeak-ng speaks at 22 050 Hz, so Opus would need a resampler; Vorbis
   takes the voice as it is. Without soundfile the bulletin is MP3 only;
4. storing: a `ProductMedia(kind="audio")` of the product (the MP3; the OGG in its
   `variants`, its length in `duration_seconds`), replacing the bulletin made before (files
   the officer uploaded are left alone), audited as "content.audio_render". The public
   product page plays it (`<audio>` with the OGG and the MP3 as sources, the browser takes
   the first it plays); the podcast feed gives the MP3 with its length in bytes and
   `<itunes:duration>`.

Voices measured beside espeak-ng: none. The registry packages that ship a Vietnamese neural
voice (korvatts 0.1.3, vieneu 3.8.3 on PyPI) download their ONNX weights from Hugging Face on
first use, so they neither install from the registry alone nor run offline; Debian has no
other Vietnamese voice (RHVoice, MBROLA: none for Vietnamese). A better engine plugs in with
`register_engine("name", factory)` and `CONTENT_TTS_ENGINE`-style wiring at the call site.
"""

from __future__ import annotations

import io
import logging
import math
import shutil
import subprocess
import tempfile
import wave
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Protocol

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _
from django_tasks import task

from congdoan.audit.services import audit_record
from congdoan.content.models import MediaKind, Product, ProductMedia, media_path
from congdoan.core.processes import run_child
from congdoan.orgs.scoping import Viewer
from congdoan.text.readaloud import WORDS_PER_MINUTE, read_aloud

logger = logging.getLogger(__name__)

# espeak-ng's -s is "words per minute" of its own counting, with its own pauses; measured on
# a 49-syllable, two-sentence bulletin: -s 110 → 19.2 s, -s 160 → 12.9 s, where
# readaloud.reading_time says 20 s at 160 syllables a minute. So 0.7 × the reader's rate
# makes the recording last what the loudspeaker script announces.
ESPEAK_RATE_FACTOR = 0.7
BULLETIN_FILE_STEM = "ban-tin-am-thanh"
MP3_BITRATE_KBPS = 48


class SpeechFailed(RuntimeError):
    """The engine is missing or failed; the message says what to do, in Vietnamese."""


@dataclass(frozen=True)
class Speech:
    """A PCM WAV file as an engine made it."""

    wav: bytes

    def _params(self) -> wave._wave_params:
        with wave.open(io.BytesIO(self.wav)) as reader:
            return reader.getparams()

    @property
    def sample_rate(self) -> int:
        return self._params().framerate

    @property
    def duration(self) -> float:
        """Seconds of sound."""
        params = self._params()
        return params.nframes / params.framerate if params.framerate else 0.0

    def frames(self) -> bytes:
        with wave.open(io.BytesIO(self.wav)) as reader:
            return reader.readframes(reader.getnframes())


class TTSEngine(Protocol):
    """A text-to-speech engine: Vietnamese text (already in read-aloud form) → WAV."""

    name: str

    def unavailable(self) -> str | None:
        """Why the engine cannot run here (None: it can)."""
        ...

    def synthesize(self, text: str) -> Speech: ...


class EspeakEngine:
    """espeak-ng, offline, with its Northern Vietnamese voice ("vi")."""

    name = "espeak-ng"

    def __init__(
        self,
        *,
        voice: str = "vi",
        words_per_minute: int = WORDS_PER_MINUTE,
        binary: str = "espeak-ng",
        timeout: float = 300.0,
    ) -> None:
        self.voice = voice
        self.rate = max(80, round(words_per_minute * ESPEAK_RATE_FACTOR))
        self.binary = binary
        self.timeout = timeout

    def unavailable(self) -> str | None:
        if shutil.which(self.binary) is None:
            return _("Chưa cài espeak-ng, chương trình đọc văn bản tiếng Việt (make system-deps).")
        return None

    def synthesize(self, text: str) -> Speech:
        reason = self.unavailable()
        if reason:
            raise SpeechFailed(reason)
        with tempfile.TemporaryDirectory(prefix="congdoan-tts-") as folder:
            target = Path(folder) / "speech.wav"
            # -w writes a WAV whose header has the real length (--stdout cannot seek back
            # to write it); the text comes on stdin, never on the command line.
            args = [self.binary, "-v", self.voice, "-s", str(self.rate), "-w", str(target)]
            try:
                done = run_child(
                    [*args, "--stdin"],
                    input=text.encode("utf-8"),
                    capture_output=True,
                    timeout=self.timeout,
                )
            except subprocess.TimeoutExpired as error:
                raise SpeechFailed(_("espeak-ng đọc quá lâu, đã dừng.")) from error
            if done.returncode != 0 or not target.is_file():
                detail = (done.stderr or b"").decode("utf-8", "replace").strip()[:300]
                raise SpeechFailed(_("espeak-ng báo lỗi: %(detail)s") % {"detail": detail})
            return Speech(target.read_bytes())


_ENGINES: dict[str, Callable[[], TTSEngine]] = {"espeak-ng": EspeakEngine}
DEFAULT_ENGINE = "espeak-ng"


def register_engine(name: str, factory: Callable[[], TTSEngine]) -> None:
    """Make another engine available by name (an app's `ready()`, a test)."""
    _ENGINES[name] = factory


def get_engine(name: str = DEFAULT_ENGINE) -> TTSEngine:
    try:
        return _ENGINES[name]()
    except KeyError as error:
        raise SpeechFailed(_("Không có bộ đọc “%(name)s”.") % {"name": name}) from error


@dataclass(frozen=True)
class EncodedAudio:
    data: bytes
    content_type: str
    extension: str
    note: str = ""  # said to the officer when the preferred format could not be made


def encode_mp3(speech: Speech, *, bitrate_kbps: int = MP3_BITRATE_KBPS) -> EncodedAudio:
    """MP3 of a 16-bit mono or stereo WAV; falls back to the WAV itself without lameenc."""
    try:
        import lameenc  # lazy: an optional wheel; without it the bulletin stays WAV
    except ImportError:
        return EncodedAudio(
            speech.wav,
            "audio/wav",
            "wav",
            note=_(
                "Chưa cài gói lameenc nên bản tin được lưu dạng WAV (tệp lớn hơn MP3 khoảng "
                "bảy lần). Cài lại dự án (make install) để có MP3."
            ),
        )
    with wave.open(io.BytesIO(speech.wav)) as reader:
        channels, width, rate = reader.getnchannels(), reader.getsampwidth(), reader.getframerate()
        frames = reader.readframes(reader.getnframes())
    if width != 2:
        raise SpeechFailed(_("Bộ đọc trả về âm thanh không phải 16 bit."))
    encoder = lameenc.Encoder()
    encoder.set_bit_rate(bitrate_kbps)
    encoder.set_in_sample_rate(rate)
    encoder.set_channels(channels)
    encoder.set_quality(2)
    data = bytes(encoder.encode(frames)) + bytes(encoder.flush())
    return EncodedAudio(data, "audio/mpeg", "mp3")


# libsndfile's compression level, 0–1 (1: smallest). Measured on 70.7 s of espeak-ng speech
# (22 050 Hz mono): 0.3 → 63 kbit/s (544 KiB, larger than the 48 kbit/s MP3's 415 KiB),
# 0.5 → 49, 0.7 → 39 kbit/s (332 KiB), 0.9 → 29. 0.7: a fifth smaller than the MP3, and
# Vorbis at that rate keeps a voice clear (it is what podcasts of speech use).
OGG_QUALITY = 0.7


def encode_ogg(speech: Speech) -> EncodedAudio | None:
    """OGG Vorbis of a 16-bit WAV; None without the soundfile package (MP3 alone is kept)."""
    try:
        import soundfile  # lazy: an optional wheel; without it the bulletin is MP3 alone
    except (ImportError, OSError):  # OSError: the wheel is there, its libsndfile is not
        return None
    with wave.open(io.BytesIO(speech.wav)) as reader:
        channels, width, rate = reader.getnchannels(), reader.getsampwidth(), reader.getframerate()
        frames = reader.readframes(reader.getnframes())
    if width != 2:
        raise SpeechFailed(_("Bộ đọc trả về âm thanh không phải 16 bit."))
    import numpy  # lazy: soundfile's own dependency, only where soundfile is

    samples = numpy.frombuffer(frames, dtype="<i2").reshape(-1, channels)
    out = io.BytesIO()
    soundfile.write(
        out,
        samples,
        rate,
        format="OGG",
        subtype="VORBIS",
        compression_level=OGG_QUALITY,
    )
    return EncodedAudio(out.getvalue(), "audio/ogg", "ogg")


def bulletin_text(product: Product) -> str:
    """What is read: the title, then the short version, in read-aloud form."""
    parts = [product.title.strip().rstrip(".") + "."]
    if product.summary.strip():
        parts.append(product.summary.strip())
    return read_aloud("\n".join(parts))


def _bulletins() -> QuerySet[ProductMedia]:
    """Audio bulletins made from products' texts, the latest first."""
    return ProductMedia.objects.filter(
        kind=MediaKind.AUDIO, file__contains=BULLETIN_FILE_STEM
    ).order_by("-created_at", "-pk")


def bulletin_media(product: Product) -> ProductMedia | None:
    """The audio bulletin made from the product's text (the latest), if any."""
    if hasattr(product, "bulletins"):  # fetched with `bulletins_prefetch`
        return product.bulletins[0] if product.bulletins else None
    return _bulletins().filter(product=product).first()


def media_file_names(media: ProductMedia) -> list[str]:
    """The stored files of a media: its own and its variants' (to delete them together)."""
    names = [media.file.name] if media.file.name else []
    return names + [v["name"] for v in media.variants or [] if v.get("name")]


def audio_variant(media: ProductMedia, content_type: str) -> dict[str, str | int] | None:
    """The media's other format of this type (the OGG of an MP3 bulletin), if it has one."""
    for variant in media.variants or []:
        if variant.get("content_type") == content_type:
            return variant
    return None


def bulletin_duration(media: ProductMedia) -> int | None:
    """Seconds of sound: as measured when it was made, else (a bulletin made before that was
    kept) from an MP3's size at the bulletin's constant bitrate."""
    if media.duration_seconds:
        return media.duration_seconds
    if media.content_type == "audio/mpeg" and media.size:
        return max(1, round(media.size * 8 / (MP3_BITRATE_KBPS * 1000)))
    return None


def bulletins_prefetch() -> Prefetch:
    """For a list of products (the podcast feed): their bulletins in one query, read by
    `bulletin_media` instead of one query per product."""
    return Prefetch("media", queryset=_bulletins(), to_attr="bulletins")


@dataclass(frozen=True)
class RenderedBulletin:
    media: ProductMedia
    duration: float
    note: str


@transaction.atomic
def product_audio_render(
    *, product: Product, actor: Viewer = None, engine: TTSEngine | None = None
) -> RenderedBulletin:
    """Read the product's short version aloud and keep it as its audio bulletin."""
    text = bulletin_text(product)
    speech = (engine or get_engine()).synthesize(text)
    encoded = encode_mp3(speech)
    ogg = encode_ogg(speech)
    old = list(
        ProductMedia.objects.filter(
            product=product, kind=MediaKind.AUDIO, file__contains=BULLETIN_FILE_STEM
        )
    )
    media = ProductMedia(
        product=product,
        kind=MediaKind.AUDIO,
        content_type=encoded.content_type,
        size=len(encoded.data),
        caption=(_("Bản tin âm thanh: %(title)s") % {"title": product.title})[:300],
        duration_seconds=math.ceil(speech.duration),
    )
    media.file.save(
        f"{BULLETIN_FILE_STEM}.{encoded.extension}", ContentFile(encoded.data), save=False
    )
    storage = media.file.storage
    if ogg is not None and ogg.extension != encoded.extension:
        name = storage.save(
            media_path(media, f"{BULLETIN_FILE_STEM}.{ogg.extension}"), ContentFile(ogg.data)
        )
        media.variants = [{"name": name, "content_type": ogg.content_type, "size": len(ogg.data)}]
    media.save()
    for previous in old:
        previous.delete()
        for name in media_file_names(previous):
            transaction.on_commit(partial(storage.delete, name))
    audit_record(
        actor=actor,
        action="content.audio_render",
        target=product,
        changes={
            "media": media.pk,
            "seconds": round(speech.duration, 1),
            "format": encoded.extension,
            "formats": [encoded.extension, *([ogg.extension] if ogg else [])],
        },
    )
    return RenderedBulletin(media, speech.duration, encoded.note)


@task()
def render_product_audio(product_id: int, actor_id: int | None = None) -> None:
    """The background step: make the product's audio bulletin (an officer asked for it)."""
    product = Product.objects.select_related("unit").filter(pk=product_id).first()
    if product is None:
        return
    actor = None
    if actor_id is not None:
        actor = get_user_model().objects.filter(pk=actor_id).first()
    product_audio_render(product=product, actor=actor)
