"""Metadata fields as arrays: the filters a question applies, as masks."""

from hoidap.vectorstore.metadata_columns import MetadataColumns

METADATAS = [
    {"province": "Bắc Ninh", "y2023": True, "role": "target"},
    {"province": "Cao Bằng", "y2023": True},
    {"province": "Bắc Ninh", "y2023": False, "role": "result"},
    {},
]


def test_matches_is_one_bool_per_chunk_for_any_of_the_wanted_values():
    columns = MetadataColumns(METADATAS)
    assert columns.matches("province", ["Bắc Ninh"]).tolist() == [True, False, True, False]
    assert columns.matches("province", ["Bắc Ninh", "Cao Bằng"]).tolist() == [True, True, True, False]
    assert columns.matches("province", ["Hà Nội"]).tolist() == [False] * 4


def test_flag_is_true_only_for_true_and_values_leave_out_empty_ones():
    columns = MetadataColumns(METADATAS)
    assert columns.flag("y2023").tolist() == [True, True, False, False]
    assert columns.values("role") == {"target", "result"}
    assert columns.column("role").tolist() == ["target", None, "result", None]
