"""MS-OVBA §2.4.1 compression: every input must come back byte for byte through oletools."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from oletools.olevba import decompress_stream

from thidua_xl.devtools.vba.compression import CHUNK, compress, copy_token_layout, decompress

ROOT = Path(__file__).resolve().parents[1]


def _chunks(container: bytes):
    """(header, compressed?, size) of each chunk of a container."""
    out, cur = [], 1
    while cur < len(container):
        header = int.from_bytes(container[cur:cur + 2], "little")
        size = (header & 0x0FFF) + 3
        out.append((header, bool(header >> 15), size))
        cur += size
    assert cur == len(container), "chunks must tile the container exactly"
    return out


def _expected(data: bytes, container: bytes) -> bytes:
    """The input, plus the zero padding the spec puts in a final raw chunk (incompressible tails only)."""
    chunks = _chunks(container)
    tail = len(data) % CHUNK
    if chunks and not chunks[-1][1] and tail:
        return data + b"\0" * (CHUNK - tail)
    return data


def _check(data: bytes) -> bytes:
    container = compress(data)
    assert container[0] == 0x01
    ours = decompress(container)
    theirs = decompress_stream(container)
    assert theirs == ours == _expected(data, container)
    chunks = _chunks(container)
    assert len(chunks) == -(-len(data) // CHUNK)
    for header, compressed, size in chunks:
        assert (header >> 12) & 0b111 == 0b011
        assert size <= CHUNK + 2
        if not compressed:
            assert size == CHUNK + 2
    return container


def vba_modules() -> list[Path]:
    import xlwings

    pkg = Path(xlwings.__file__).parent
    mods = sorted(ROOT.glob("macros/*.bas")) + [pkg / "xlwings.bas"]
    mods += sorted((pkg / "addin").glob("*.bas")) + sorted((pkg / "addin").glob("*.cls"))
    return [m for m in mods if m.is_file()]


def test_copy_token_bit_split_follows_position_in_chunk():
    # §2.4.1.3.19.1: bit count = max(ceil(log2(position)), 4); length field gets the rest
    assert copy_token_layout(1) == (4, 4098)
    assert copy_token_layout(16) == (4, 4098)
    assert copy_token_layout(17) == (5, 2050)
    assert copy_token_layout(32) == (5, 2050)
    assert copy_token_layout(33) == (6, 1026)
    assert copy_token_layout(2048) == (11, 34)
    assert copy_token_layout(2049) == (12, 18)
    assert copy_token_layout(4096) == (12, 18)


def test_spec_example_decodes_with_both_decompressors():
    # MS-OVBA §3.2 example: a compressed container written by Office
    spec = bytes.fromhex("012FB000236161616263646582660070616768696A013808616B6C00306D6E6F700671027004"
                         "10727374757610777879 7A003C".replace(" ", ""))
    text = b"#aaabcdefaaaaghijaaaaaklaaamnopqaaaaaaaaaaaarstuvwxyzaaa"
    assert decompress_stream(spec) == decompress(spec) == text
    ours = _check(text)
    assert len(ours) <= len(spec)


def test_edge_sizes():
    for data in (b"", b"a", b"ab", b"abc", b"a" * 5000, os.urandom(CHUNK), os.urandom(CHUNK * 2 + 1),
                 b"x" * CHUNK + os.urandom(CHUNK)):
        _check(data)


def test_incompressible_full_chunk_is_raw_and_exact():
    data = os.urandom(CHUNK * 3)
    container = _check(data)
    assert [c[1] for c in _chunks(container)] == [False, False, False]
    assert decompress_stream(container) == data


def test_incompressible_tail_is_padded_as_the_spec_requires():
    data = os.urandom(4000)
    container = compress(data)
    assert _chunks(container)[0][1] is False
    assert decompress_stream(container) == data + b"\0" * 96


def test_compressible_tail_is_never_padded():
    data = os.urandom(3640)  # literals only: 3640 + 455 flag bytes = 4095 ≤ 4096
    assert decompress_stream(compress(data)) == data


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=3 * CHUNK + 100))
def test_random_bytes_round_trip(data):
    _check(data)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(min_size=1, max_size=40), st.integers(1, 3000), st.binary(max_size=30))
def test_long_repetitive_input_round_trips_exactly(unit, times, tail):
    data = unit * times + tail
    container = _check(data)
    assert decompress_stream(container) == data
    if len(data) > 2000:
        assert len(container) < len(data) // 2


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(["Dim ", "As String", "End Sub\r\n", "    ", "If ", " Then\r\n", "RunPython ",
                                 "Next i\r\n", "' comment ", "x = x + 1\r\n", "\"", "&", "()"]),
                max_size=2500), st.text(max_size=200))
def test_vba_like_text_round_trips_exactly(pieces, noise):
    data = ("".join(pieces) + noise).encode("utf-8")
    assert decompress_stream(compress(data)) == data


@pytest.mark.parametrize("path", vba_modules(), ids=lambda p: p.name)
def test_real_modules_round_trip_exactly(path):
    data = path.read_bytes()
    container = _check(data)
    assert decompress_stream(container) == data
    if len(data) > CHUNK:
        assert len(container) < 0.6 * len(data)


def test_xlwings_module_is_big_enough_to_matter():
    # the broken compressor failed past ~1 KB: our real input must be far beyond that
    big = [p for p in vba_modules() if p.name == "xlwings.bas"][0]
    assert big.stat().st_size > 9 * 1024
    assert decompress_stream(compress(big.read_bytes()))[-2000:] == big.read_bytes()[-2000:]


def test_decompress_rejects_bad_input():
    with pytest.raises(ValueError):
        decompress(b"\x02\x00")
    with pytest.raises(ValueError):
        decompress(b"\x01\x00\x00")  # chunk signature 0b000
