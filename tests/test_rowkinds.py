"""What is not a nomination, tested on the texts themselves (intake tests the same on whole sheets)."""
from __future__ import annotations

from thidua_xl.rowkinds import examples_among, is_example


def test_a_column_of_names_yields_the_template_samples_it_holds():
    """The sample rows of a template ("Nguyễn Văn A", "Ví dụ:", "VD") found in a whole column at once
    are the ones the one-text test finds; real names, even short ones, are not samples."""
    names = ["Nguyễn Văn A", "Trần Thị B.", "Ví dụ: khoa Nội", "VD", "(mẫu)", "Nguyễn Văn An", "Lê Thị Bé",
             "Bà Phạm Thị C", "Khoa Dược", "", "Nguyễn Văn A", "Đỗ Đức X", "Võ Văn A"]
    found = examples_among(names)
    assert found == {n for n in names if is_example(n)}
    assert found == {"Nguyễn Văn A", "Trần Thị B.", "Ví dụ: khoa Nội", "VD", "(mẫu)", "Bà Phạm Thị C", "Đỗ Đức X"}
