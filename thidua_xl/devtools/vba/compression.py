"""MS-OVBA §2.4.1 compression, our own: ms-ovba-compression 1.0.1 garbles sources past ~1 KB.

A compressed container is the signature byte 0x01 followed by chunks, each holding
up to 4096 bytes of input. A chunk starts with a 16-bit header: bits 0-11 are the
chunk size minus 3, bits 12-14 the signature 0b011, bit 15 says compressed (1) or
raw (0). A compressed chunk is a run of token sequences: one flag byte, then eight
tokens, each a literal byte (flag bit 0) or a 16-bit copy token (flag bit 1). A copy
token packs (offset - 1) in its high `bit_count` bits and (length - 3) in the rest,
where `bit_count = max(ceil(log2(position in chunk)), 4)`, so early in a chunk
offsets are short and lengths long. A raw chunk holds exactly 4096 bytes.
"""
from __future__ import annotations

CHUNK = 4096
SIGNATURE = 0x01
_COMPRESSED_HEADER = 0xB000  # flag 1, signature 0b011
_RAW_HEADER = 0x3FFF  # flag 0, signature 0b011, size 4098 - 3
_MIN_MATCH = 3
_MAX_CANDIDATES = 256  # hash-chain depth: bounded time, near-best matches on source text


def copy_token_layout(position: int) -> tuple[int, int]:
    """(bit_count of the offset, maximum match length) at `position` bytes into a chunk (§2.4.1.3.19.1)."""
    bit_count = max((position - 1).bit_length(), 4)  # ceil(log2(position)) for position >= 1
    return bit_count, (0xFFFF >> bit_count) + 3


def _compress_chunk(chunk: bytes) -> bytes:
    """Token sequences of one chunk (§2.4.1.3.7); greedy longest match over a hash chain."""
    n = len(chunk)
    out = bytearray()
    heads: dict[bytes, list[int]] = {}
    pos = 0

    def remember(p: int) -> None:
        if p + _MIN_MATCH <= n:
            heads.setdefault(chunk[p:p + _MIN_MATCH], []).append(p)

    while pos < n:
        flag_at = len(out)
        out.append(0)
        flags = 0
        for bit in range(8):
            if pos >= n:
                break
            best_len, best_off = 0, 0
            if pos + _MIN_MATCH <= n:
                bit_count, max_len = copy_token_layout(pos)
                limit = min(max_len, n - pos)
                candidates = heads.get(chunk[pos:pos + _MIN_MATCH], ())
                for cand in reversed(candidates[-_MAX_CANDIDATES:]):
                    length = _MIN_MATCH
                    while length < limit and chunk[cand + length] == chunk[pos + length]:
                        length += 1
                    if length > best_len:
                        best_len, best_off = length, pos - cand
                        if length == limit:
                            break
            if best_len >= _MIN_MATCH:
                token = ((best_off - 1) << (16 - bit_count)) | (best_len - 3)
                out += token.to_bytes(2, "little")
                flags |= 1 << bit
                for p in range(pos, pos + best_len):
                    remember(p)
                pos += best_len
            else:
                out.append(chunk[pos])
                remember(pos)
                pos += 1
        out[flag_at] = flags
    return bytes(out)


def compress(data: bytes) -> bytes:
    """Compress `data` into an MS-OVBA CompressedContainer (§2.4.1.3.6).

    A chunk that does not shrink below 4096 bytes is stored raw. The spec pads a raw
    chunk to 4096 bytes, so only a final chunk of incompressible data longer than
    3,640 bytes comes back with trailing zeros; source text never does.
    """
    data = bytes(data)
    out = bytearray([SIGNATURE])
    for start in range(0, len(data), CHUNK):
        chunk = data[start:start + CHUNK]
        packed = _compress_chunk(chunk)
        if len(packed) <= CHUNK:
            out += (_COMPRESSED_HEADER | (len(packed) + 2 - 3)).to_bytes(2, "little")
            out += packed
        else:
            out += _RAW_HEADER.to_bytes(2, "little")
            out += chunk.ljust(CHUNK, b"\x00")
    return bytes(out)


def decompress(container: bytes) -> bytes:
    """Inverse of `compress` (§2.4.1.3.1), strict about headers; used by tests and the build's self-check."""
    data = bytes(container)
    if not data or data[0] != SIGNATURE:
        raise ValueError("MS-OVBA: thiếu byte chữ ký 0x01")
    out = bytearray()
    cur = 1
    while cur < len(data):
        if cur + 2 > len(data):
            raise ValueError(f"MS-OVBA: đầu khối bị cắt tại byte {cur}")
        header = int.from_bytes(data[cur:cur + 2], "little")
        size = (header & 0x0FFF) + 3
        if (header >> 12) & 0b111 != 0b011:
            raise ValueError(f"MS-OVBA: chữ ký khối sai tại byte {cur}")
        compressed = header >> 15
        end = cur + size
        if end > len(data):
            raise ValueError(f"MS-OVBA: khối tại byte {cur} dài hơn dữ liệu")
        body = cur + 2
        if not compressed:
            if size != CHUNK + 2:
                raise ValueError("MS-OVBA: khối thô phải dài 4096 byte")
            out += data[body:end]
        else:
            chunk_start = len(out)
            while body < end:
                flags = data[body]
                body += 1
                for bit in range(8):
                    if body >= end:
                        break
                    if not (flags >> bit) & 1:
                        out.append(data[body])
                        body += 1
                        continue
                    token = int.from_bytes(data[body:body + 2], "little")
                    body += 2
                    bit_count, _ = copy_token_layout(len(out) - chunk_start)
                    length = (token & (0xFFFF >> bit_count)) + 3
                    offset = (token >> (16 - bit_count)) + 1
                    src = len(out) - offset
                    if src < chunk_start:
                        raise ValueError("MS-OVBA: mã sao chép trỏ ra ngoài khối")
                    for i in range(length):
                        out.append(out[src + i])
            if len(out) - chunk_start > CHUNK:
                raise ValueError("MS-OVBA: khối giải nén dài hơn 4096 byte")
        cur = end
    return bytes(out)
