"""A part inflated straight from its local header is exactly what zipfile reads, or nothing: a damaged part
(a flipped byte, a cut file, a wrong CRC, a header naming another part) is left to zipfile, which refuses it as
it always did."""
from __future__ import annotations

import io
import warnings
import zipfile

from hypothesis import given, settings
from hypothesis import strategies as st

from thidua_xl.zip_parts import inflate

_TEXT = st.lists(st.sampled_from([b'<row r="1">', b'<c r="A1" t="s"><v>0</v></c>', b"</row>", b"\xc3\xa1", b"x" * 50,
                                  bytes(range(256))]), max_size=60).map(b"".join)


def _archive(parts: list[tuple[str, bytes, int]]) -> bytes:
    """The parts zipped in order; a name given twice is written twice (an archive some tools make, and one of
    the cases the fast path must read as zipfile does), without zipfile's warning about it."""
    buf = io.BytesIO()
    with warnings.catch_warnings(), zipfile.ZipFile(buf, "w") as zf:
        warnings.filterwarnings("ignore", "Duplicate name", UserWarning)
        for name, data, method in parts:
            zf.writestr(zipfile.ZipInfo(name), data, compress_type=method)
    return buf.getvalue()


def _zipfile_read(zf: zipfile.ZipFile, info: zipfile.ZipInfo):
    try:
        return zf.read(info)
    except Exception as exc:  # noqa: BLE001 - whatever zipfile raises, the fast path must not answer
        return exc


parts = st.lists(st.tuples(st.sampled_from(["xl/workbook.xml", "xl/worksheets/sheet1.xml", "tệp/ảnh.xml", "a"]),
                           _TEXT, st.sampled_from([zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED])), min_size=1, max_size=3)


@settings(max_examples=400, deadline=None)
@given(parts, st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 255)), max_size=3), st.integers(0, 10_000))
def test_inflate_is_zipfile_or_nothing(chosen, flips, cut):
    whole = _archive(chosen)
    damaged = bytearray(whole)
    for at, byte in flips:
        damaged[at % len(damaged)] = byte
    for raw, intact in ((whole, True), (bytes(damaged), not flips), (bytes(damaged[:max(cut, 22)]), False)):
        try:
            zf = zipfile.ZipFile(io.BytesIO(raw))
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
            continue
        with zf:
            for info in zf.infolist():
                want = _zipfile_read(zf, info)
                got = inflate(zf.fp, info)
                assert inflate(zf.fp, info, room=1 << 30) == got  # in one call: the same answer
                if isinstance(want, Exception):
                    assert got is None, (info.filename, want)
                else:
                    assert got is None or got == want
                    if intact and raw is whole:
                        assert got == want  # a plain part is inflated, not left to zipfile


def test_a_part_damaged_in_transit_is_refused_as_before(tmp_path):
    """A flipped byte in a sheet's compressed data is caught (by the CRC or the inflater) and the pre-check
    says what it said before: the part is broken."""
    import pytest

    from thidua_xl import safety

    sheet = b'<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>' + b"Nguy\xe1\xbb\x85n " * 400 \
        + b"</t></is></c></row></sheetData></worksheet>"
    wb = (b'<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
          b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
          b'<sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>')
    rels = b'<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>'
    good = _archive([("xl/workbook.xml", wb, zipfile.ZIP_DEFLATED), ("xl/_rels/workbook.xml.rels", rels, 8),
                     ("xl/worksheets/sheet1.xml", sheet, zipfile.ZIP_DEFLATED)])
    (tmp_path / "a.xlsx").write_bytes(good)
    assert safety.inspect(tmp_path / "a.xlsx").sheets["S"].max_row == 1
    with zipfile.ZipFile(io.BytesIO(good)) as zf:
        info = zf.getinfo("xl/worksheets/sheet1.xml")
        start = info.header_offset + 30 + len(info.filename.encode())
    for at in (start + 5, start + info.compress_size // 2):
        bad = bytearray(good)
        bad[at] ^= 0x10
        (tmp_path / "b.xlsx").write_bytes(bytes(bad))
        with pytest.raises(safety.Refused, match="xl/worksheets/sheet1.xml” của tệp bị hỏng"):
            safety.inspect(tmp_path / "b.xlsx")


def test_a_part_said_to_be_longer_than_its_content_is_left_to_zipfile():
    """A directory entry whose compressed size is more than deflate could take for the declared size (a lie
    that would make a one-piece read take the rest of the file for every such part) is not read here."""
    raw = _archive([("xl/worksheets/sheet1.xml", b"<row/>" * 1000, zipfile.ZIP_DEFLATED), ("pad", bytes(200_000), 0)])
    with zipfile.ZipFile(io.BytesIO(raw)) as zf:
        info = zf.getinfo("xl/worksheets/sheet1.xml")
        assert inflate(zf.fp, info) == zf.read(info)
        info.compress_size = info.file_size * 2 + 100
        assert inflate(zf.fp, info) is None


_BIG = 1 << 30  # room enough for a part inflated in one call


@settings(max_examples=400, deadline=None)
@given(_TEXT, st.integers(-3, 3), st.integers(-3, 40), st.booleans())
def test_a_part_inflated_in_one_call_answers_as_the_inflater(text, size_change, packed_change, fix_crc):
    """One `zlib.decompress` call with the declared size as its buffer, against the inflater limited to it: the
    same bytes or the same None, whatever sizes (and CRC) the directory declares, bytes after the stream's end
    (the next header) included."""
    import zlib

    raw = _archive([("xl/worksheets/sheet1.xml", text, zipfile.ZIP_DEFLATED), ("next", b"x" * 64, zipfile.ZIP_STORED)])
    with zipfile.ZipFile(io.BytesIO(raw)) as zf:
        info = zf.getinfo("xl/worksheets/sheet1.xml")
        info.file_size = max(0, info.file_size + size_change)
        info.compress_size = max(0, info.compress_size + packed_change)
        if fix_crc:
            info.CRC = zlib.crc32(text[:info.file_size])
        got = inflate(zf.fp, info, room=_BIG)
        assert got == inflate(zf.fp, info)
        if size_change == 0 and packed_change >= 0:
            assert got == text  # the stream ends where it should: its trailing bytes are not read as data


def test_one_call_only_where_the_stream_cannot_exceed_the_room():
    """deflate gives at most 1032 bytes a byte: a part is inflated in one call only when even that worst case
    stays within the room left and within ONE_CALL_MAX; zlib's best, on zeros, stays within that worst case."""
    import zlib

    from thidua_xl.zip_parts import DEFLATE_MAX_RATIO, ONE_CALL_MAX, _one_call

    assert _one_call(1000, 1001 * 1032) and not _one_call(1000, 1001 * 1032 - 1)
    assert _one_call(ONE_CALL_MAX // DEFLATE_MAX_RATIO - 1, _BIG) and not _one_call(ONE_CALL_MAX // DEFLATE_MAX_RATIO, _BIG)
    for n in (1, 1000, 1_000_000):
        packer = zlib.compressobj(9, zlib.DEFLATED, -15)
        packed = packer.compress(bytes(n)) + packer.flush()
        assert n <= (len(packed) + 1) * DEFLATE_MAX_RATIO
