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


def inflate(fh, info) -> bytes | None:
    """The part `info` (a zipfile.ZipInfo of the zip open as `fh`) as zipfile reads it, or None: read it so."""
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
        if info.compress_type == 8:
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
