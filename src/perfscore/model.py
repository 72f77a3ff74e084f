"""Self-evaluation tables as immutable values.

A :class:`Table` holds what one printed 绩效自评表 says: the funds block
(:class:`FundRow`), the goal texts, the indicator rows (:class:`Indicator`) and the
printed total. Every cell is already parsed (targets, actuals, figures) and keeps its
verbatim text. Values are frozen; change them with :func:`attrs.evolve`.

Nothing here parses a string: :mod:`perfscore.io.json` turns the JSON format into
these values and back.

>>> from perfscore import loads
>>> table = loads('''{"name": "示例项目", "indicators": [
...   {"level1": "产出指标(50分)", "level2": "数量指标", "level3": "培训人数",
...    "target": ">=100 人", "actual": "=120 人", "weight": "50", "score": "50"}]}''')[0]
>>> group = table.level1_groups[0]
>>> group.name, group.declared_weight, group.weight
('产出指标', Decimal('50'), Decimal('50'))
>>> table.indicators[0].path
'产出指标/数量指标/培训人数'
"""

from __future__ import annotations

from decimal import MAX_PREC, Decimal, localcontext
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Final, Literal, TypeAlias, cast

import attrs

from perfscore._text import fold
from perfscore._values import value_repr

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from perfscore.cells import Actual, Figure, Target

__all__ = [
    "DIRECTION_COLUMNS",
    "FORMAT",
    "LATER",
    "UNIT_COLUMNS",
    "FundRow",
    "Goal",
    "Group",
    "Indicator",
    "JSONValue",
    "Label",
    "Later",
    "Origin",
    "Shown",
    "Table",
    "TableKind",
]

FORMAT: Final = "perfscore.table/1"
"""The table format version this library reads and writes."""

DIRECTION_COLUMNS: Final = frozenset({"指标性质", "指标方向", "指标属性", "比较方式"})
"""Columns in which a form prints a target's comparator apart (``≤``, ``反向指标``).

A document reader joins them to the target (``≤`` | ``35.5`` | ``万元`` → ``≤35.5万元``)
and keeps each with the row under its header, as an extra key; the audit knows them.
"""
UNIT_COLUMNS: Final = frozenset({"计量单位", "度量单位", "单位", "指标单位", "计算单位"})
"""Columns in which a form prints a target's unit apart (see :data:`DIRECTION_COLUMNS`)."""

TableKind = Literal["project", "department"]
"""项目支出绩效自评表 (``project``) or 部门（单位）整体支出绩效自评表 (``department``)."""

JSONValue: TypeAlias = Any
"""A value as decoded from JSON (kept for keys the format does not define)."""

# Labels of the row that holds the funds block's totals.
_TOTAL_LABELS: Final[tuple[str, ...]] = ("年度资金总额", "资金总额", "合计", "总计")
# Traditional characters seen in fund labels, and their simplified forms.
_SIMPLIFIED: Final = str.maketrans("資總額計當財撥結轉與餘款項", "资总额计当财拨结转与余款项")


class Later:
    """The one hook through which values reach the stages after them.

    A table knows how to become JSON (``to_dict``), records (``to_records``) and HTML
    (``_repr_html_``), and so do scorecards and audit reports; but the code that does
    it lives in later stages (:mod:`perfscore.io.json`, :mod:`perfscore.render`),
    which import the model, never the reverse. Those stages *provide* their functions
    here when they are imported (``import perfscore`` imports them), and the methods
    look them up by the value's class and the method's name.

    >>> later = Later()
    >>> later.provide(Label, "to_dict", lambda label: {"text": label.text})
    >>> later.call(Label("产出指标(50分)", "产出指标"), "to_dict")
    {'text': '产出指标(50分)'}
    >>> later.call(Label("x", "x"), "to_records")
    Traceback (most recent call last):
    ...
    LookupError: Label.to_records is provided by a later stage of perfscore; import perfscore first
    """

    def __init__(self) -> None:
        self._functions: dict[tuple[type, str], Callable[..., Any]] = {}

    def provide(self, kind: type, method: str, function: Callable[..., Any]) -> None:
        """Serve ``kind``'s ``method`` (and its subclasses') with ``function``."""
        self._functions[kind, method] = function

    def call(self, value: object, method: str, /, *args: Any, **kwargs: Any) -> Any:  # noqa: ANN401 - the provider's result
        """Call the function provided for ``value``'s class (or the class ``value``)."""
        kind = value if isinstance(value, type) else type(value)
        for base in kind.__mro__:
            function = self._functions.get((base, method))
            if function is not None:
                return function(value, *args, **kwargs)
        message = (
            f"{kind.__name__}.{method} is provided by a later stage of perfscore; "
            "import perfscore first"
        )
        raise LookupError(message)


LATER: Final = Later()
"""The hook the model's, scoring's and the audit's values call later stages through."""


class Shown:
    """What tables, scorecards and audit reports share: shown by the later stages.

    Each defines ``to_records`` (its own records); the data frame of those records
    and the HTML a notebook shows come through :data:`LATER` the same way for all.
    """

    __slots__ = ()

    def to_dataframe(
        self, *, file: str | None = None, index: int | None = None, exact: bool = True
    ) -> Any:  # noqa: ANN401 - a pandas.DataFrame; pandas is an optional extra
        """The records as a ``pandas.DataFrame`` (needs ``pip install "perfscore[pandas]"``).

        See :func:`perfscore.render.frames.to_dataframe` for the columns' dtypes.
        """
        return LATER.call(self, "to_dataframe", file=file, index=index, exact=exact)

    def _repr_html_(self) -> str:
        return cast("str", LATER.call(self, "_repr_html_"))


def weight_sum(rows: Iterable[Indicator]) -> Decimal:
    """The exact sum of the rows' readable weights (blank or unreadable ones count 0).

    The sum runs in its own decimal context, so a caller's low precision cannot
    round it.
    """
    with localcontext() as context:
        context.prec = MAX_PREC
        return sum((w for row in rows if (w := row.weight_value) is not None), Decimal(0))


@lru_cache(maxsize=4096)
def fund_label_key(label: str) -> str:
    """A fund label reduced for matching: no spaces, no trailing colon, simplified.

    >>> fund_label_key(" 年度資金總額： ")
    '年度资金总额'
    """
    folded, _ = fold(label)
    return folded.translate(_SIMPLIFIED).rstrip(":：")


@attrs.frozen
class Label:
    """A level-1 or level-2 label as printed, and what it declares.

    Attributes:
        text: the label exactly as printed (``产出指标(50分)``).
        name: the label without spaces or a declared weight (``产出指标``).
        declared_weight: the weight printed in the label (``50``), or ``None``.
    """

    __repr__ = value_repr

    text: str = attrs.field(eq=False)
    name: str
    declared_weight: Decimal | None = None

    def __str__(self) -> str:
        """The name, as tables print it when they carry no weight."""
        return self.name


@attrs.frozen
class FundRow:
    """One printed row of the funds block (项目资金).

    Attributes:
        label: the printed label (年度资金总额, 其中：当年财政拨款, 其他资金, 合计 …).
        initial_budget: 年初预算数.
        annual_budget: 全年预算数.
        executed: 全年执行数.
        weight: 分值, where the row prints one, else ``None``.
        rate: 执行率 as printed, where the row prints one, else ``None``.
        score: 得分 as printed, where the row prints one, else ``None``.
        extra: keys the format does not define, kept as given.
        places: where each cell was printed in the original document, by key
            (``("rate", "表2!G7")``); empty for a table not read from a document.
            Not part of the row's value: rows equal in every cell are equal.
    """

    __repr__ = value_repr

    label: str
    initial_budget: Figure
    annual_budget: Figure
    executed: Figure
    weight: Figure | None = None
    rate: Figure | None = None
    score: Figure | None = None
    places: tuple[tuple[str, str], ...] = attrs.field(default=(), eq=False)
    extra: tuple[tuple[str, JSONValue], ...] = ()

    def place_of(self, key: str) -> str | None:
        """Where a cell was printed (``表2!G7``, ``第5页``), if known."""
        return dict(self.places).get(key)

    @property
    def key(self) -> str:
        """The label reduced for matching (see :func:`fund_label_key`)."""
        return fund_label_key(self.label)

    @property
    def cell_texts(self) -> tuple[str | None, ...]:
        """The figures' texts as printed (``None`` for a cell the row does not print).

        Figures compare by what they say (``20`` equals ``20.00``); a row and its
        texts together are everything the row prints, which is what work that quotes
        the print (an explanation, a finding, an output) is remembered by.
        """
        weight, rate, score = self.weight, self.rate, self.score
        return (
            self.initial_budget.text,
            self.annual_budget.text,
            self.executed.text,
            None if weight is None else weight.text,
            None if rate is None else rate.text,
            None if score is None else score.text,
        )

    @property
    def is_total(self) -> bool:
        """Whether the label names the funds block's total (年度资金总额, 合计, 总计)."""
        return self.key in _TOTAL_LABELS


@attrs.frozen
class Goal:
    """年度总体目标: the expected goal and what was achieved, as printed, and where."""

    __repr__ = value_repr

    expected: str | None = None
    achieved: str | None = None
    places: tuple[tuple[str, str], ...] = attrs.field(default=(), eq=False)
    extra: tuple[tuple[str, JSONValue], ...] = ()


@attrs.frozen
class Indicator:
    """One 三级指标 row.

    Attributes:
        level1: 一级指标 (产出指标, 效益指标 …), with any weight its label declares.
        level2: 二级指标 (数量指标, 质量指标 …).
        level3: 三级指标, the indicator's own name, verbatim.
        target: 年度指标值, parsed.
        actual: 实际完成值, parsed.
        weight: 分值.
        score: 得分 as printed, or ``None`` when the table does not print it.
        deviation_note: 偏差原因分析及改进措施, or ``None``.
        basis: 指标值设定依据 (department tables), or ``None``.
        extra: keys the format does not define, kept as given.
        places: where each cell was printed in the original document, by key
            (``("target", "表2!E13")``); empty for a table not read from a document.
            Not part of the row's value.
    """

    __repr__ = value_repr

    level1: Label
    level2: Label
    level3: str
    target: Target
    actual: Actual
    weight: Figure
    score: Figure | None = None
    deviation_note: str | None = None
    basis: str | None = None
    places: tuple[tuple[str, str], ...] = attrs.field(default=(), eq=False)
    extra: tuple[tuple[str, JSONValue], ...] = ()

    def place_of(self, key: str) -> str | None:
        """Where a cell was printed (``表2!E13``, ``第5页``), if known."""
        return dict(self.places).get(key)

    @property
    def path(self) -> str:
        """``一级/二级/三级``, the row's readable address."""
        return f"{self.level1.name}/{self.level2.name}/{self.level3}"

    @property
    def weight_value(self) -> Decimal | None:
        """The weight as a number of points (``20%`` counts as 20), or ``None`` if blank."""
        return self.weight.value

    @property
    def cell_texts(self) -> tuple[str | None, ...]:
        """The labels' and cells' texts as printed (``None``: no 得分 printed).

        Cells and labels compare by what they say (``>=100 人`` equals ``≥100人``,
        ``产出指标(50分)`` equals ``产出指标（50分）``); a row and its texts together are
        everything the row prints, which is what work that quotes the print (an
        explanation, a finding, an output) is remembered by.

        >>> from perfscore import load
        >>> load("examples/changji-2023/02_wine-competition-2022.json")[0].indicators[0].cell_texts
        ('产出指标', '数量指标', '>=700 件', '=1044 件', '10', '0.00')
        """
        score = self.score
        return (
            self.level1.text,
            self.level2.text,
            self.target.text,
            self.actual.text,
            self.weight.text,
            None if score is None else score.text,
        )


@attrs.frozen
class Group:
    """The rows under one level-1 or level-2 label, in printed order.

    Attributes:
        name: the label's name (spaces and declared weight removed).
        declared_weight: the weight the label itself prints (``产出指标(50分)``).
        indicators: the rows under the label.
        children: for a level-1 group, its level-2 groups; empty for a level-2 group.
    """

    __repr__ = value_repr

    name: str
    declared_weight: Decimal | None
    indicators: tuple[Indicator, ...]
    children: tuple[Group, ...] = ()

    @property
    def weight(self) -> Decimal:
        """The sum of the rows' readable weights."""
        return weight_sum(self.indicators)


def _group(rows: tuple[Indicator, ...], level: Literal[1, 2]) -> tuple[Group, ...]:
    order: dict[str, list[Indicator]] = {}
    declared: dict[str, Decimal | None] = {}
    for row in rows:
        label = row.level1 if level == 1 else row.level2
        order.setdefault(label.name, []).append(row)
        if declared.get(label.name) is None:
            declared[label.name] = label.declared_weight
    return tuple(
        Group(
            name=name,
            declared_weight=declared[name],
            indicators=tuple(members),
            children=_group(tuple(members), 2) if level == 1 else (),
        )
        for name, members in order.items()
    )


@attrs.frozen
class Origin:
    """Where a table was read from: the document and the place in it.

    Attributes:
        document: the document's file name (``tables.xlsx``).
        place: where in it the table is printed: a sheet (``表3``), pages
            (``第5–6页``), a table of a Word report or web page (``表格2``), lines of a
            text (``第523–610行``).
        number: the table's number among the document's tables (from 1).
        places: where the table's own cells were printed, by key (``("name",
            "表3!C4")``; ``total``, ``department``, ``implementer`` …).

    >>> origin = Origin("tables.xlsx", "表3", 3, (("name", "表3!C4"),))
    >>> str(origin), origin.place_of("name")
    ('tables.xlsx 表3（第3张表）', '表3!C4')
    """

    __repr__ = value_repr

    document: str
    place: str = ""
    number: int | None = None
    places: tuple[tuple[str, str], ...] = ()

    def place_of(self, key: str) -> str | None:
        """Where a cell of the table's own was printed, if known."""
        return dict(self.places).get(key)

    def __str__(self) -> str:
        """The document, the place, and the table's number, as a person reads them."""
        number = f"（第{self.number}张表）" if self.number is not None else ""
        return " ".join(part for part in (self.document, self.place) if part) + number


@attrs.frozen
class Table(Shown):
    """One self-evaluation table.

    Attributes:
        name: 项目名称 (or the unit's name for a department table).
        kind: ``project`` or ``department``.
        year: the year evaluated, when given.
        department: 主管部门.
        implementer: 实施单位.
        source: the document the table was read from.
        money_unit: the unit of the funds block's amounts (default 万元).
        funds: the funds block's rows, in printed order.
        goal: 年度总体目标, when given.
        indicators: the 三级指标 rows, in printed order.
        total: 总分 as printed, when given.
        remarks: free text, ignored by scoring.
        extra: keys the format does not define, kept as given.
        origin: where the table was read from (the document, the sheet or pages, its
            number in the document, the places of its own cells), for a table read from
            a document; not part of the table's value.
    """

    name: str
    indicators: tuple[Indicator, ...]
    kind: TableKind = "project"
    year: int | None = None
    department: str | None = None
    implementer: str | None = None
    source: str | None = None
    money_unit: str = "万元"
    funds: tuple[FundRow, ...] = ()
    goal: Goal | None = None
    total: Figure | None = None
    remarks: str | None = None
    origin: Origin | None = attrs.field(default=None, eq=False)
    extra: tuple[tuple[str, JSONValue], ...] = ()

    @property
    def total_fund_row(self) -> FundRow | None:
        """The funds row that is scored: 年度资金总额 / 合计 / 总计, else the first row."""
        return next(
            (row for row in self.funds if row.is_total), self.funds[0] if self.funds else None
        )

    @property
    def execution_print(self) -> tuple[Figure | None, Figure | None, Figure | None]:
        """The printed (weight, rate, score) of the 执行率 item.

        Each is taken from the first funds row that prints it: tables put them on the
        total row, on the first row, or (the seed's department table) on 中央安排.
        """
        weight = next((row.weight for row in self.funds if _printed(row.weight)), None)
        rate = next((row.rate for row in self.funds if _printed(row.rate)), None)
        score = next((row.score for row in self.funds if _printed(row.score)), None)
        return weight, rate, score

    @property
    def execution_weight(self) -> Decimal | None:
        """The 执行率 item's weight, when some funds row prints one."""
        weight = self.execution_print[0]
        return None if weight is None else weight.value

    @property
    def indicator_weight(self) -> Decimal:
        """The sum of the indicator rows' readable weights."""
        return weight_sum(self.indicators)

    @property
    def total_weight(self) -> Decimal:
        """Indicator weights plus the 执行率 weight; 100 in a well-formed table."""
        return self.indicator_weight + (self.execution_weight or Decimal(0))

    @property
    def level1_groups(self) -> tuple[Group, ...]:
        """The rows grouped by level-1 label, each with its level-2 groups.

        Groups are in order of first appearance; rows of one label split by a page
        break still fall in one group.
        """
        return _group(self.indicators, 1)

    def to_dict(self) -> dict[str, JSONValue]:
        """The table in the ``perfscore.table/1`` format, every cell verbatim.

        >>> from perfscore import loads
        >>> table = loads('{"name": "x", "indicators": [{"level1": "产出指标", '
        ...     '"level2": "数量指标", "level3": "y", "target": ">=1 个", '
        ...     '"actual": "1 个", "weight": "10"}]}')[0]
        >>> table.to_dict()["indicators"][0]["target"]
        '>=1 个'
        """
        return cast("dict[str, JSONValue]", LATER.call(self, "to_dict"))

    def to_records(
        self, *, file: str | None = None, index: int | None = None
    ) -> list[dict[str, Any]]:
        """One plain dict per funds row and indicator row (for a data frame).

        Numbers are :class:`~decimal.Decimal`; ``file`` and ``index`` (where a batch
        read the table) are ``None`` unless given. See
        :func:`perfscore.render.records.table_records`.
        """
        records = LATER.call(self, "to_records", file=file, index=index)
        return cast("list[dict[str, Any]]", records)

    def __repr__(self) -> str:
        """One line: the name, kind, year, how many rows, the printed total.

        >>> from perfscore import load
        >>> load("examples/changji-2023/02_wine-competition-2022.json")[0]
        <Table '2022（新疆昌吉）“一带一路”国际葡萄酒大赛' project 2023:
        8 indicators, 3 funds rows, printed total 90>
        """
        year = "" if self.year is None else f" {self.year}"
        total = self.total
        if total is None:
            printed = "no printed total"
        elif total.kind == "number":
            printed = f"printed total {total.value:f}"
        else:
            printed = f"printed total {total.text!r}"
        return (
            f"<Table {self.name!r} {self.kind}{year}: {len(self.indicators)} indicators, "
            f"{len(self.funds)} funds rows, {printed}>"
        )

    def __str__(self) -> str:
        """The table as ``perfscore show`` prints it: every cell as printed and as read."""
        return cast("str", LATER.call(self, "text"))

    @classmethod
    def from_dict(cls, data: object, *, source: str = "<dict>") -> Table:
        """Build a table from a ``perfscore.table/1`` object (as decoded from JSON).

        Raises:
            TableFormatError: ``data`` is not a table; every problem is listed with its
                path.
        """
        return cast("Table", LATER.call(cls, "from_dict", data, source=source))


def _printed(figure: Figure | None) -> bool:
    return figure is not None and figure.kind != "not-applicable"
