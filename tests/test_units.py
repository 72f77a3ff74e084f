from decimal import Decimal, localcontext

import pytest

from perfscore.units import (
    IncompatibleUnitsError,
    compatible,
    conversion_factor,
    convert,
    normalize_unit,
    unit_family,
)

D = Decimal


@pytest.mark.parametrize(
    ("unit", "canonical"),
    [
        ("万", "万元"),
        ("百分比", "%"),
        ("%", "%"),
        ("元/人·月", "元/人*月"),
        ("KM", "公里"),
        ("㎡", "㎡"),  # NFKC folding happens in the cell reader, not here
        ("月份", "月"),
        ("件", "件"),
        ("", ""),
    ],
)
def test_normalize_unit(unit, canonical):
    """Each unit has one spelling."""
    assert normalize_unit(unit) == canonical


@pytest.mark.parametrize(
    ("value", "source", "target", "expected"),
    [
        ("2.5", "亿元", "万元", "25000"),
        ("428.71", "万元", "元", "4287100"),
        ("1", "元", "万元", "0.0001"),
        ("3", "年", "个月", "36"),
        ("2", "周", "天", "14"),
        ("1.5", "小时", "分钟", "90"),
        ("8", "万页", "页", "80000"),
        ("600", "元/人", "万元/人", "0.06"),
        ("1", "公顷", "平方米", "10000"),
    ],
)
def test_convert_exact(value, source, target, expected):
    """Compatible units convert exactly by the ratio of their scales."""
    assert convert(D(value), source, target) == D(expected)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("%", "个"),
        ("件", "个"),
        ("万元", "%"),
        ("期", "%"),
        ("", "%"),
        ("元/人", "元"),
        ("月", "个月"),
    ],
)
def test_incompatible_units(first, second):
    """A percentage never equals a count, and different things counted differ."""
    assert not compatible(first, second)
    assert conversion_factor(first, second) is None
    with pytest.raises(IncompatibleUnitsError, match="measure different things"):
        convert(D(1), first, second)


def test_families():
    """Money, durations and prefixed counts form families."""
    assert unit_family("万元") == unit_family("元") == "money"
    assert unit_family("万人次") == unit_family("人次")
    assert unit_family("百分点") != unit_family("%")
    assert compatible("万", "元")


def test_conversion_ignores_callers_context():
    """A caller's low-precision context does not change a conversion."""
    with localcontext() as context:
        context.prec = 3
        assert convert(D("123456.789"), "万元", "元") == D("1234567890")
