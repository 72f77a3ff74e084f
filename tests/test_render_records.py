"""Records: plain dicts of strings, for data frames."""

from perfscore import audit, load, score
from perfscore.render.records import (
    ITEM_COLUMNS,
    audit_records,
    item_rows,
    scorecard_records,
    table_records,
)


def test_item_rows_read_what_items_read(examples):
    """Each row's values are those of its ItemScore, which item_rows does not make."""
    for profile in ("mof-2020", "changji-2023"):
        for table in load(examples):
            card = score(table, profile=profile)
            rows = item_rows(card)[1 if card.funds is not None else 0 :]
            assert len(rows) == len(card.items)
            for row, item in zip(rows, card.items, strict=True):
                values = dict(zip(ITEM_COLUMNS, row, strict=True))
                assert values["where"] == f"indicators[{item.index}]"
                assert values["path"] == item.path
                assert values["score"] == (None if item.score is None else f"{item.score:f}")
                printed = item.printed_score
                assert values["printed_score"] == (None if printed is None else f"{printed:f}")
                assert (values["status"], values["explanation"]) == (item.status, item.explanation)


def test_values_give_their_records(examples):
    """to_records of a table, a scorecard and an audit report are this module's records."""
    for table in load(examples):
        report = audit(table, profile="changji-2023")
        assert table.to_records() == table_records(table)
        assert report.scorecard.to_records() == scorecard_records(report.scorecard)
        assert report.to_records() == audit_records(report)
