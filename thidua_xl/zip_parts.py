"""A workbook part's bytes inflated straight from its local header (for the safety pre-check).

zipfile's reader wraps each part in a shared file, a reader object and 1 MiB reads, each checked and
counted: for the ~12 small parts of a unit file that costs a third as much as inflating them. `inflate`
reads the part's local header and compressed bytes itself and inflates them in one call, but only gives an
answer where zipfile would give the same bytes without complaint: a plain local header naming the same part,
stored or deflated, not encrypted, a deflate stream that ends, exactly the declared size, and the declared
CRC-32. The CRC is kept: it is what refuses a part damaged in transit (zipfile's "Bad CRC-32"), before a
reader meets it. Anything else gives None, and the caller reads the part with zipfile as before, which
raises what it always raised.
"""
from __future__ import annotations

import struct
import zlib

_LOCAL = struct.Struct("<4s2B4HL2L2H")  # zipfile's structFileHeader: the 30 bytes before the part's name
_UNUSUAL = 0x1 | 0x20 | 0x40  # encrypted, compressed patched data, strong encryption: zipfile's own errors
_UTF8_NAME = 0x800


def _most_packed(size: int) -> int:
    """The most bytes deflate takes for `size` bytes (stored blocks: 5 bytes a 64 KiB block), with room to spare.

    A directory that declares more (a small part said to fill the rest of the file) is read by zipfile, which
    stops at the stream's end; read here in one piece, each such part would read the whole file again."""
    return size + (size >> 10) + 64


DEFLATE_MAX_RATIO = 1032  # deflate's most: a 258-byte match in two bits (1-bit codes), block headers not counted
ONE_CALL_MAX = 64 * 1024 * 1024  # the most a part read in one call may inflate to, whatever its stream says


def _one_call(compress_size: int, room: int) -> bool:
    """May the part be inflated by one `zlib.decompress` call, its buffer the declared size?

    That call has no output limit: a stream that lies about its size inflates until it ends. But `compress_size`
    bytes of deflate cannot give more than DEFLATE_MAX_RATIO times as many (plus a few literals: one more byte's
    worth), so where that worst case is within `room` (what the pre-check's total limit has left) and within
    ONE_CALL_MAX, no stream can make this call exceed either: the limit is still a proof, and the memory a
    hostile part can take is bounded. The declared size then only sizes the buffer."""
    worst = (compress_size + 1) * DEFLATE_MAX_RATIO
    return worst <= room and worst <= ONE_CALL_MAX


def inflate(fh, info, room: int = 0) -> bytes | None:
    """The part `info` (a zipfile.ZipInfo of the zip open as `fh`) as zipfile reads it, or None: read it so.

    `room`: the most the part may inflate to (the total limit's rest); when its deflate stream cannot exceed it
    (`_one_call`), it is inflated in one call into a buffer of the declared size: ~25 % less time than the
    inflater's 32 KiB-block growth and the copy that joins the blocks (page faults on fresh memory, twice)."""
    if info.flag_bits & _UNUSUAL or info.compress_type not in (0, 8) or info.compress_size > _most_packed(info.file_size):
        return None
    try:
        fh.seek(info.header_offset)
        head = fh.read(_LOCAL.size)
        if len(head) != _LOCAL.size:
            return None
        magic, _v, _s, flags, _m, _t, _d, _crc, _cs, _fs, name_len, extra_len = _LOCAL.unpack(head)
        if magic != b"PK\x03\x04":
            return None
        name = fh.read(name_len)
        if name.decode("utf-8" if flags & _UTF8_NAME else "cp437") != info.orig_filename:
            return None
        if extra_len:
            fh.seek(extra_len, 1)
        raw = fh.read(info.compress_size)
        if len(raw) != info.compress_size:
            return None
        if info.compress_type == 8 and _one_call(info.compress_size, room):
            # the same answer as the inflater below: a stream that ends early, is damaged or holds more than
            # declared raises or gives another size (bytes after the stream's end are ignored by both)
            data = zlib.decompress(raw, -15, info.file_size)
            if len(data) != info.file_size:
                return None
        elif info.compress_type == 8:
            inflater = zlib.decompressobj(-15)
            data = inflater.decompress(raw, info.file_size + 1)  # never more than declared, plus the byte that tells
            if not inflater.eof or len(data) != info.file_size:
                return None
        elif info.compress_size == info.file_size:
            data = raw
        else:
            return None
        return data if zlib.crc32(data) == info.CRC else None
    except (OSError, ValueError, zlib.error, EOFError):
        return None
