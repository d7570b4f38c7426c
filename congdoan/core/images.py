"""One policy for every uploaded image: workers' photos, library scans, every frame of a TIFF.

An image file is small on the wire and large in memory: a 684 KB PNG can claim 13000 × 13000
pixels and cost a process 1.3 GB to decode. So, for every upload (steps):
1. read the header only (Pillow's `Image.open` decodes nothing) and refuse a format we do not
   take, a frame over the pixel cap, too many frames, or too many pixels in all;
2. decode one frame at a time (a JPEG at a reduced scale when it will be shrunk anyway);
3. turn it the way its EXIF orientation says, shrink it to a bounded long side, and write a
   fresh file with no metadata at all (a phone photo's EXIF holds GPS, the device and
   sometimes the owner's name: it would identify an anonymous worker).

Pillow's own decoder limit (`Image.MAX_IMAGE_PIXELS`) is set once at start-up in every
process (`CoreConfig.ready` calls `install_decoder_limit`): it is the backstop for any code
that opens an image without going through here.

Every refusal is an `ImageRefused` whose `message` says in Vietnamese what is wrong and what
to do; Pillow's English errors never reach a person.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.translation import gettext as _
from PIL import Image, ImageFile, ImageOps, TiffImagePlugin, UnidentifiedImageError

from congdoan.core.vndate import vn_number


class ImageRefused(Exception):
    """The image is not accepted; `message` tells the person why, in Vietnamese."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class ImagePolicy:
    """What one kind of upload may be. `max_pixels` is per frame; `max_side` the long side kept."""

    formats: frozenset[str]
    max_pixels: int
    max_side: int
    max_frames: int = 1
    max_total_pixels: int | None = None
    # A worker's photo: the advice on a refusal is to take the photo again, not to rescan.
    is_photo: bool = False


@dataclass(frozen=True)
class Header:
    format: str
    width: int
    height: int
    frames: int


@dataclass(frozen=True)
class CleanImage:
    data: bytes
    format: str  # JPEG | PNG | TIFF
    width: int
    height: int
    frames: int

    @property
    def suffix(self) -> str:
        return {"JPEG": ".jpg", "PNG": ".png", "TIFF": ".tif"}[self.format]

    @property
    def content_type(self) -> str:
        return {"JPEG": "image/jpeg", "PNG": "image/png", "TIFF": "image/tiff"}[self.format]


def decoder_limit() -> int:
    """The largest frame any policy accepts: Pillow refuses to open more than twice this."""
    return max(settings.IMAGE_MAX_PIXELS, settings.LIBRARY_MAX_IMAGE_PIXELS)


def install_decoder_limit() -> None:
    Image.MAX_IMAGE_PIXELS = decoder_limit()


def photo_policy() -> ImagePolicy:
    """A photo attached to a worker's concern: one frame, shrunk to a phone screen's worth."""
    return ImagePolicy(
        formats=frozenset({"JPEG", "PNG", "WEBP", "GIF"}),
        max_pixels=settings.IMAGE_MAX_PIXELS,
        max_side=settings.IMAGE_PHOTO_MAX_SIDE,
        is_photo=True,
    )


def document_policy() -> ImagePolicy:
    """A scanned or photographed page for the library: enough pixels left for OCR."""
    return ImagePolicy(
        formats=frozenset({"JPEG", "PNG", "TIFF"}),
        max_pixels=settings.LIBRARY_MAX_IMAGE_PIXELS,
        max_side=settings.LIBRARY_IMAGE_MAX_SIDE,
        max_frames=settings.LIBRARY_MAX_PAGES,
        max_total_pixels=settings.LIBRARY_MAX_IMAGE_TOTAL_PIXELS,
    )


def _too_large(name: str, limit: int, policy: ImagePolicy) -> ImageRefused:
    if policy.is_photo:
        return _photo_too_large(name, limit)
    return ImageRefused(
        _(
            "Ảnh “%(name)s” quá lớn (hơn %(limit)s điểm ảnh, có thể là ảnh độc hại). Hãy chụp hoặc quét lại ở độ phân giải 200–300 dpi."
        )
        % {"name": name, "limit": vn_number(limit)}
    )


def _photo_too_large(name: str, limit: int, size: tuple[int, int] | None = None) -> ImageRefused:
    """Said to a worker: no talk of malicious images or scanner resolutions."""
    if size is not None:
        return ImageRefused(
            _(
                "Ảnh “%(name)s” quá lớn để gửi (%(w)d × %(h)d điểm ảnh, tối đa %(limit)s). Hãy chụp lại bằng điện thoại hoặc chọn ảnh nhỏ hơn."
            )
            % {"name": name, "w": size[0], "h": size[1], "limit": vn_number(limit)}
        )
    return ImageRefused(
        _(
            "Ảnh “%(name)s” quá lớn để gửi (hơn %(limit)s điểm ảnh). Hãy chụp lại bằng điện thoại hoặc chọn ảnh nhỏ hơn."
        )
        % {"name": name, "limit": vn_number(limit)}
    )


def _broken(name: str) -> ImageRefused:
    return ImageRefused(
        _(
            "Ảnh “%(name)s” bị hỏng hoặc không đúng định dạng, không đọc được. Hãy chụp hoặc xuất lại ảnh."
        )
        % {"name": name}
    )


def _open(data: bytes, name: str, policy: ImagePolicy) -> Image.Image:
    """The image opened lazily (header only): Pillow's limit (twice the cap) turned into our message."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter(
                "ignore", Image.DecompressionBombWarning
            )  # the caller checks the size itself
            return Image.open(io.BytesIO(data), formats=sorted(policy.formats))
    except Image.DecompressionBombError as exc:
        raise _too_large(name, policy.max_pixels, policy) from exc
    except UnidentifiedImageError as exc:
        raise ImageRefused(
            _("Tệp “%(name)s” không phải là ảnh nhận được (%(formats)s).")
            % {"name": name, "formats": ", ".join(sorted(policy.formats))}
        ) from exc
    except Exception as exc:  # Pillow raises several kinds for broken headers
        raise _broken(name) from exc


def _format(img: Image.Image) -> str:
    # A phone's JPEG with a second picture in it (depth map, preview) opens as "MPO": a JPEG.
    return "JPEG" if img.format == "MPO" else (img.format or "")


def _frame_sizes(img: Image.Image, name: str, policy: ImagePolicy) -> Iterator[tuple[int, int]]:
    frames = getattr(img, "n_frames", 1) if img.format == "TIFF" else 1
    if frames > policy.max_frames:
        raise ImageRefused(
            _(
                "Ảnh TIFF “%(name)s” có %(n)d trang, vượt giới hạn %(limit)d trang. Hãy tách thành nhiều tệp nhỏ hơn."
            )
            % {"name": name, "n": frames, "limit": policy.max_frames}
        )
    for number in range(frames):
        if number:
            img.seek(number)  # a TIFF frame's directory only: nothing is decoded
        yield img.size


def read_header(data: bytes, *, name: str, policy: ImagePolicy) -> Header:
    """Step 1: format, size and frames from the header alone; raises `ImageRefused`."""
    with _open(data, name, policy) as img:
        fmt = _format(img)
        total = 0
        count = 0
        first = img.size
        try:
            for width, height in _frame_sizes(img, name, policy):
                if width * height > policy.max_pixels:
                    if policy.is_photo:
                        raise _photo_too_large(name, policy.max_pixels, (width, height))
                    raise ImageRefused(
                        _(
                            "Ảnh “%(name)s” có kích thước %(w)d × %(h)d điểm ảnh, vượt giới hạn %(limit)s điểm ảnh. Hãy chụp hoặc quét lại ở độ phân giải 200–300 dpi."
                        )
                        % {
                            "name": name,
                            "w": width,
                            "h": height,
                            "limit": vn_number(policy.max_pixels),
                        }
                    )
                total += width * height
                count += 1
        except (EOFError, OSError, ValueError, SyntaxError) as exc:
            raise _broken(name) from exc
        if policy.max_total_pixels is not None and total > policy.max_total_pixels:
            raise ImageRefused(
                _(
                    "Ảnh “%(name)s” có tổng cộng %(total)s điểm ảnh trên %(n)d trang, vượt giới hạn %(limit)s. Hãy gửi bản PDF hoặc tách thành nhiều tệp."
                )
                % {
                    "name": name,
                    "total": vn_number(total),
                    "n": count,
                    "limit": vn_number(policy.max_total_pixels),
                }
            )
    return Header(fmt, first[0], first[1], count)


_KEEP_MODES = {
    "JPEG": ("L", "RGB"),
    "PNG": ("1", "L", "LA", "P", "RGB", "RGBA"),
    "TIFF": ("1", "L", "RGB"),
}


def _output_format(fmt: str, frames: int) -> str:
    if fmt == "TIFF":
        return "TIFF"
    return "JPEG" if fmt in ("JPEG", "WEBP") else "PNG"  # a GIF keeps its first frame, losslessly


def _clean_frame(img: Image.Image, out: str, max_side: int) -> Image.Image:
    """Step 3 for one frame: upright, shrunk, in a mode the output keeps, with no metadata."""
    if _format(img) == "JPEG" and max(img.size) > max_side:
        img.draft(
            img.mode if img.mode in ("L", "RGB") else "RGB", (max_side, max_side)
        )  # decode at 1/2, 1/4 or 1/8
    frame = ImageOps.exif_transpose(img) if out != "TIFF" else img.copy()
    if max(frame.size) > max_side:
        frame.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    if frame.mode not in _KEEP_MODES[out]:
        has_alpha = frame.mode in ("RGBA", "LA", "PA") or "transparency" in frame.info
        frame = frame.convert(
            "RGBA"
            if has_alpha and out == "PNG"
            else ("L" if frame.mode.startswith(("I", "F", "L")) else "RGB")
        )
    transparency = frame.info.get("transparency") if out == "PNG" else None
    frame.info = {}  # no EXIF, XMP, ICC, text chunks or comments: nothing that says where or who
    if transparency is not None:
        frame.info["transparency"] = transparency
    return frame


def _save(
    frame: Image.Image,
    fh: io.BytesIO | TiffImagePlugin.AppendingTiffWriter,
    out: str,
    dpi: tuple[float, float] | None,
) -> None:
    extra: dict[str, object] = {"dpi": dpi} if dpi else {}
    if out == "JPEG":
        frame.save(fh, "JPEG", quality=88, optimize=True, **extra)
    elif out == "PNG":
        frame.save(fh, "PNG", optimize=False, **extra)
    else:
        frame.save(fh, "TIFF", compression="group4" if frame.mode == "1" else "tiff_lzw", **extra)


def _dpi(img: Image.Image) -> tuple[float, float] | None:
    dpi = img.info.get("dpi")
    try:
        x, y = float(dpi[0]), float(dpi[1])  # type: ignore[index]
    except (TypeError, ValueError, IndexError):
        return None
    return (x, y) if 50 <= x <= 1200 and 50 <= y <= 1200 else None


def _refuse_truncated() -> None:
    """A truncated image is refused, whatever another library did to Pillow's global switch:
    WeasyPrint (the posters) turns `ImageFile.LOAD_TRUNCATED_IMAGES` on when it is imported,
    which would let a half-sent photo or scan through as a grey-bottomed picture."""
    ImageFile.LOAD_TRUNCATED_IMAGES = False


def reencode(data: bytes, *, name: str, policy: ImagePolicy) -> CleanImage:
    """The image checked (step 1) and written afresh (steps 2–3); raises `ImageRefused`."""
    _refuse_truncated()
    header = read_header(data, name=name, policy=policy)
    out_format = _output_format(header.format, header.frames)
    buffer = io.BytesIO()
    size = (0, 0)
    try:
        with _open(data, name, policy) as img:
            if out_format == "TIFF":
                with TiffImagePlugin.AppendingTiffWriter(
                    buffer, new=True
                ) as writer:  # one frame in memory at a time
                    for number in range(header.frames):
                        img.seek(number)
                        dpi = _dpi(img)
                        frame = _clean_frame(img, out_format, policy.max_side)
                        size = size if number else frame.size
                        _save(frame, writer, out_format, dpi)
                        writer.newFrame()
            else:
                dpi = _dpi(img)
                frame = _clean_frame(img, out_format, policy.max_side)
                size = frame.size
                _save(frame, buffer, out_format, dpi)
    except ImageRefused:
        raise
    except Image.DecompressionBombError as exc:
        raise _too_large(name, policy.max_pixels, policy) from exc
    except Exception as exc:  # truncated or corrupt data shows only when decoding
        raise _broken(name) from exc
    return CleanImage(buffer.getvalue(), out_format, size[0], size[1], header.frames)


@receiver(setting_changed)
def _follow_settings(*, setting: str, **kwargs: object) -> None:
    if setting in {"IMAGE_MAX_PIXELS", "LIBRARY_MAX_IMAGE_PIXELS"}:
        install_decoder_limit()
