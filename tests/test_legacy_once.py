"""TCVN3/VNI cells are looked for once per frame: the pipeline's normalise step and validation hand over the
same nominations frame, and a frame found with nothing to convert is not searched again. A frame that did
hold legacy text, or a frame changed since (a new frame, or the pandas view edited by a caller), is
searched as before."""
from __future__ import annotations

from validate_helpers import FIRST_ROW as R, person, write_unit

from thidua_xl import pipeline, validate
from thidua_xl.catalog import load_catalog


def _counting(monkeypatch) -> list:
    looked: list = []
    real = validate._legacy_candidates

    def counted(frame):
        looked.append(frame)
        return real(frame)

    monkeypatch.setattr(validate, "_legacy_candidates", counted)
    return looked


def test_a_clean_frame_is_searched_once_by_normalise_and_validate(tmp_path, monkeypatch):
    unit = write_unit(tmp_path / "BV.xlsx", "Bệnh viện A", [
        person("Lê Văn Cường", "Giấy khen"), person("Hà Lê", "Lao động tiên tiến")], year=2020)
    looked = _counting(monkeypatch)
    read = pipeline.read([unit])
    checked = pipeline.validate(pipeline.normalise(read), history=False)
    assert len(looked) == 1 and looked[0] is read.intake.frame
    assert not [f for f in checked.findings if f.code == "LEGACY_ENCODING"]
    # another frame (a caller edited the pandas view: it is the truth now) is searched again
    intake = read.intake
    view = intake.nominations
    view.loc[0, "ho_ten"] = "NguyÔn V¨n B×nh"
    found = validate.fix_legacy(intake, load_catalog())
    assert len(looked) == 2 and [(f.code, f.row) for f in found] == [("LEGACY_ENCODING", R)]


def test_a_frame_with_legacy_text_is_converted_and_its_conversion_searched_again(tmp_path, monkeypatch):
    unit = write_unit(tmp_path / "BV.xlsx", "Bệnh viện A", [
        person("NguyÔn V¨n B×nh", "Lao ®éng tiªn tiÕn"), person("Lê Văn Cường", "Giấy khen")], year=2020)
    looked = _counting(monkeypatch)
    read = pipeline.read([unit])
    normalised = pipeline.normalise(read)
    checked = pipeline.validate(normalised, history=False)
    # normalise searched the frame read, validation the converted one (it finds nothing more to convert)
    assert [id(f) for f in looked] == [id(read.intake.frame), id(normalised.intake.frame)]
    assert [(f.code, f.row) for f in checked.findings if f.code == "LEGACY_ENCODING"] == [("LEGACY_ENCODING", R)] * 2
    assert normalised.intake.frame.get_column("ho_ten")[0] == "Nguyễn Văn Bình"
    # the same again: each converted cell still reported once, the frame read left as it was
    again = pipeline.validate(pipeline.read([unit]), history=False)
    assert [f.to_dict() for f in again.findings] == [f.to_dict() for f in checked.findings]
    assert read.intake.frame.get_column("ho_ten")[0] == "NguyÔn V¨n B×nh"
