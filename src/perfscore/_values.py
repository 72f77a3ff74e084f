"""What perfscore's value classes share: their ``repr``.

attrs writes and compiles a ``__repr__`` for every class it builds, about a sixth of
the cost of building the class; perfscore defines some forty value classes, all built
when it is imported. Their ``repr`` is read by people (and by the memo, which tells
scopes apart by the ``repr`` of a profile), not in a hot loop, so one function serves
them all: each class says ``__repr__ = value_repr`` and attrs writes none. The text is
the one attrs would write: the class's name and each shown field as ``name=repr``.

>>> import attrs
>>> @attrs.frozen
... class Point:
...     x: int
...     label: str = attrs.field(default="", repr=False)
...     __repr__ = value_repr
>>> Point(3)
Point(x=3)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import attrs

if TYPE_CHECKING:
    from attrs import AttrsInstance


def value_repr(value: AttrsInstance) -> str:
    """The ``repr`` attrs would give ``value``: its class's name and its shown fields.

    A field declared with ``repr=False`` is left out; one with a function as ``repr``
    is shown by that function.
    """
    kind = type(value)
    parts = []
    for field in attrs.fields(kind):
        shown = field.repr
        if shown is False:
            continue
        item = getattr(value, field.name)
        parts.append(f"{field.name}={repr(item) if shown is True else shown(item)}")
    name = kind.__qualname__.rsplit(">.", 1)[-1]
    return f"{name}({', '.join(parts)})"
