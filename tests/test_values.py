"""The value classes' shared ``repr`` says what attrs' own would say."""

import importlib
import inspect
import pkgutil

import attrs
import pytest

import perfscore
from perfscore import audit, get_profile, load
from perfscore._values import value_repr
from perfscore.fit import fit

SEEDS = "examples/changji-2023"


def perfscore_attrs_classes():
    """Every attrs class defined in a module of perfscore (the render and io ones too)."""
    found = []
    for module_info in pkgutil.walk_packages(perfscore.__path__, "perfscore."):
        if module_info.name.endswith("__main__") or module_info.name == "perfscore.testing":
            continue
        module = importlib.import_module(module_info.name)
        for _, kind in inspect.getmembers(module, inspect.isclass):
            if kind.__module__ == module.__name__ and attrs.has(kind):
                found.append(kind)
    return found


@pytest.mark.parametrize("kind", perfscore_attrs_classes(), ids=lambda kind: kind.__qualname__)
def test_no_value_class_compiles_its_own_repr(kind):
    """Each class uses the shared repr or writes its own; none has one compiled by attrs."""
    assert not kind.__repr__.__code__.co_filename.startswith("<attrs generated"), kind


def reachable(value, seen):
    """Every attrs value inside ``value`` (through fields, tuples, lists and dicts)."""
    if id(value) in seen:
        return
    seen.add(id(value))
    if attrs.has(type(value)):
        yield value
        for field in attrs.fields(type(value)):
            yield from reachable(getattr(value, field.name), seen)
    elif isinstance(value, (tuple, list)):
        for item in value:
            yield from reachable(item, seen)
    elif isinstance(value, dict):
        for item in value.values():
            yield from reachable(item, seen)


def attrs_repr(value):
    """What attrs' generated ``repr`` gives for ``value``: a twin class made by attrs."""
    kind = type(value)
    fields = attrs.fields(kind)
    twin = attrs.make_class(
        kind.__qualname__, {field.name: attrs.field(repr=field.repr) for field in fields}
    )
    copy = twin(**{field.name: getattr(value, field.name) for field in fields})
    return repr(copy)


def test_the_shared_repr_is_attrs_repr_for_every_value_of_the_seed():
    """Tables, rows, cells, scorecards, audits, profiles and fits: the text attrs gives."""
    tables = load(SEEDS)
    values = [audit(table, profile="changji-2023") for table in tables]
    values += [get_profile("mof-2020"), get_profile("changji-2023"), fit(tables[:3])]
    seen: set[int] = set()
    checked = {}
    for value in values:
        for item in reachable(value, seen):
            if type(item).__repr__ is value_repr:
                assert value_repr(item) == attrs_repr(item)
                checked[type(item).__name__] = checked.get(type(item).__name__, 0) + 1
    # Tables, scorecards, audits, summaries and fits write their own one-line repr
    # (tests/test_render.py); the values inside them share this one.
    assert {"Indicator", "Label", "FundRow", "Goal", "Outcome", "Profile"} <= set(checked)
