"""The public surface: what a user can reach is what the functions they call need.

Every exception a public function documents is importable from ``perfscore``; every
class a public value holds in a field is importable too (from ``perfscore``, or the
module that defines it lists it in ``__all__``); every name in a ``__all__`` exists.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
import typing

import attrs
import pytest

import perfscore

PUBLIC = {name: getattr(perfscore, name) for name in perfscore.__all__}
FUNCTIONS = {name: value for name, value in PUBLIC.items() if inspect.isfunction(value)}
CLASSES = {name: value for name, value in PUBLIC.items() if inspect.isclass(value)}


def _modules() -> list[str]:
    names = ["perfscore"]
    for module in pkgutil.walk_packages(perfscore.__path__, "perfscore."):
        if module.name in {"perfscore.__main__", "perfscore.testing"}:
            continue
        names.append(module.name)
    return names


def _raised(function: object) -> set[str]:
    """The exception names a docstring's ``Raises:`` section lists."""
    doc = inspect.getdoc(function) or ""
    match = re.search(r"^Raises:\n((?:[ ]{4}.*\n?|\n)*)", doc, re.MULTILINE)
    if match is None:
        return set()
    return set(re.findall(r"^[ ]{4}(\w+):", match.group(1), re.MULTILINE))


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_every_exception_a_function_raises_is_exported(name: str) -> None:
    missing = {error for error in _raised(FUNCTIONS[name]) if error not in PUBLIC}
    assert not missing, f"perfscore.{name} raises {sorted(missing)}, not exported"


def test_the_functions_document_what_they_raise() -> None:
    """The check above is not vacuous: the loading and profile functions say."""
    assert {"NoTablesFoundError", "TableFormatError"} <= _raised(perfscore.load)
    assert "InvalidCell" in _raised(perfscore.parse_target)


def _classes_in(hint: object) -> set[type]:
    """The perfscore classes a type hint names (through unions, tuples and the like)."""
    found: set[type] = set()
    if inspect.isclass(hint) and hint.__module__.startswith("perfscore"):
        found.add(hint)
    for argument in typing.get_args(hint):
        found |= _classes_in(argument)
    return found


def _names() -> dict[str, object]:
    """Every module's names: the annotations name classes imported for type checking."""
    names: dict[str, object] = {}
    for module in _modules():
        names.update(vars(importlib.import_module(module)))
    return names


NAMES = _names()


def _reachable(cls: type) -> bool:
    if getattr(perfscore, cls.__name__, None) is cls:
        return True
    module = importlib.import_module(cls.__module__)
    return cls.__name__ in getattr(module, "__all__", ()) and not cls.__name__.startswith("_")


@pytest.mark.parametrize("name", sorted(name for name, cls in CLASSES.items() if attrs.has(cls)))
def test_the_types_of_exported_fields_are_exported(name: str) -> None:
    seen: set[type] = set()
    todo = [CLASSES[name]]
    while todo:
        cls = todo.pop()
        if cls in seen:
            continue
        seen.add(cls)
        assert _reachable(cls), f"{cls.__module__}.{cls.__name__} is held but not exported"
        if attrs.has(cls):
            module = vars(importlib.import_module(cls.__module__))
            hints = typing.get_type_hints(cls, globalns={**NAMES, **module})
            for field in attrs.fields(cls):
                todo.extend(_classes_in(hints[field.name]))


@pytest.mark.parametrize("module", _modules())
def test_every_name_in_all_exists(module: str) -> None:
    loaded = importlib.import_module(module)
    missing = [name for name in getattr(loaded, "__all__", ()) if not hasattr(loaded, name)]
    assert not missing


def test_import_perfscore_leaves_the_render_stage_for_later() -> None:
    """Rendering is imported on first use (import time), yet every method works."""
    code = (
        "import sys, perfscore; print('perfscore.render' in sys.modules); "
        "t = perfscore.load('examples/changji-2023/02_wine-competition-2022.json')[0]; "
        "print(len(perfscore.score(t).to_records()), 'perfscore.render' in sys.modules)"
    )
    import subprocess  # noqa: PLC0415
    import sys  # noqa: PLC0415

    result = subprocess.run(  # noqa: S603 - this interpreter, our code
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == ["False", "9", "True"]
