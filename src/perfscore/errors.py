"""The exceptions perfscore raises.

Every exception derives from :class:`PerfscoreError`; each leaf also derives from the
builtin it refines, so ``except ValueError`` keeps working for callers who do not know
perfscore. Exceptions carry their inputs as fields and build their message from them,
and they pickle (a worker process can send one back).

A reader of nested data (a table file, a rule profile) gathers every problem it finds
in a :class:`Problems` collector, each an exception naming its path, and raises them
together as one :class:`ExceptionGroup` (:class:`TableFormatError`,
:class:`InvalidProfile`), as cattrs does, so ``except*`` picks problems out by type.

Findings of an audit are data, never exceptions: these are for input that cannot be
read at all.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, Final, Generic, Self, TypeVar

from perfscore._text import caret_line, shorten

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

__all__ = [
    "DocumentError",
    "FloatRefusedError",
    "InvalidCell",
    "InvalidParameter",
    "InvalidProfile",
    "InvalidTable",
    "MissingExtraError",
    "NoTablesFoundError",
    "PerfscoreError",
    "TableFormatError",
    "UnknownProfileError",
]


class PerfscoreError(Exception):
    """Base class of every error perfscore raises on purpose."""


_AROUND: Final = 40  # characters of a long cell shown on each side of the spot
_QUOTED: Final = 40  # characters of a long cell quoted in the message's first line


class InvalidCell(PerfscoreError, ValueError):  # noqa: N818 - the name the API promises
    """A printed cell that cannot be read.

    The message quotes the cell and puts a caret under the spot where reading
    stopped; wide (CJK) characters count as two columns, so the caret lines up in a
    terminal.

    Attributes:
        text: the cell exactly as given.
        position: index into ``text`` where reading failed.
        reason: what was expected there, in words.
        role: what the cell is (``target``, ``actual``, ``figure``).

    >>> err = InvalidCell(">=件700", 2, "expected a number after '>='", role="target")
    >>> print(err)
    cannot read target '>=件700': expected a number after '>='
        >=件700
          ^
    """

    def __init__(self, text: str, position: int, reason: str, *, role: str = "cell") -> None:
        self.text = text
        self.position = position
        self.reason = reason
        self.role = role
        super().__init__(text, position, reason, role)

    def __str__(self) -> str:
        """Build the message: the quoted cell, the reason, and a caret line.

        A long cell is quoted by its start and its length, and shown around the spot.

        >>> print(InvalidCell("9" * 5000 + "x", 5000, "expected a unit", role="target"))
        cannot read target '9999999999999999999999999999999999999999… (5001 characters)': \
expected a unit
            …9999999999999999999999999999999999999999x
                                                     ^
        """
        quoted = shorten(self.text, _QUOTED)
        head = f"cannot read {self.role} {quoted!r}: {self.reason}"
        if "\n" in self.text or not self.text.strip():
            return head
        start = max(0, self.position - _AROUND)
        end = min(len(self.text), self.position + _AROUND)
        shown = (
            ("…" if start else "") + self.text[start:end] + ("…" if end < len(self.text) else "")
        )
        caret = caret_line(shown, self.position - start + (1 if start else 0))
        return f"{head}\n    {shown}\n    {caret}"

    def __reduce__(self) -> tuple[type[Self], tuple[str, int, str], dict[str, str]]:
        """Pickle with the role keyword restored."""
        return (type(self), (self.text, self.position, self.reason), {"role": self.role})


class FloatRefusedError(PerfscoreError, TypeError):
    """A ``float`` was given where an exact number is needed.

    Binary floating point cannot hold ``0.1`` or ``98.36`` exactly, and scores must be
    exact, so perfscore refuses floats and says what to pass instead.

    >>> print(FloatRefusedError(0.1, where="weight"))
    weight: got the float 0.1; pass a str ('0.1'), an int or a decimal.Decimal
    instead (read JSON with json.loads(..., parse_float=Decimal))
    """

    def __init__(self, value: float, *, where: str = "value") -> None:
        self.value = value
        self.where = where
        super().__init__(value, where)

    @property
    def advice(self) -> str:
        """What was given and what to give instead, without the place."""
        return (
            f"got the float {self.value!r}; pass a str ({str(self.value)!r}), "
            "an int or a decimal.Decimal instead "
            "(read JSON with json.loads(..., parse_float=Decimal))"
        )

    def __str__(self) -> str:
        """Say where, what was given and what to give instead."""
        return f"{self.where}: {self.advice}"

    def __reduce__(self) -> tuple[type[Self], tuple[float], dict[str, str]]:
        """Pickle with the keyword restored."""
        return (type(self), (self.value,), {"where": self.where})


class _PathError(PerfscoreError, ValueError):
    """One problem at one place of nested data: its path, what is wrong, and where from.

    The leaves of the groups a :class:`Problems` collector raises.
    """

    def __init__(self, path: str, problem: str, *, source: str = "") -> None:
        self.path = path
        self.problem = problem
        self.source = source
        super().__init__(path, problem, source)

    def __str__(self) -> str:
        """``source: path: problem``, leaving out the parts that are empty."""
        return ": ".join(part for part in (self.source, self.path, self.problem) if part)

    def __reduce__(self) -> tuple[type[Self], tuple[str, str], dict[str, str]]:
        """Pickle with the keyword restored."""
        return (type(self), (self.path, self.problem), {"source": self.source})


class InvalidTable(_PathError):  # noqa: N818 - reads as the noun it reports
    """One problem with one place of a table file.

    Attributes:
        path: where in the table, as in ``indicators[3].weight`` (``""`` for the whole).
        problem: what is wrong, in words.
        source: the file (and table index) it came from, when known.

    >>> print(InvalidTable("indicators[3].weight", "expected a string, got a list"))
    indicators[3].weight: expected a string, got a list
    """


class InvalidParameter(_PathError):  # noqa: N818 - reads as the noun it reports
    """One problem with one parameter of a rule profile.

    Attributes:
        path: the parameter, in TOML dotted form (``execution.floor``; ``""`` for the
            whole file).
        problem: what is wrong, in words.
        source: the profile file (or ``<string>``).

    >>> print(InvalidParameter("execution.floor", "expected a fraction, got 'x'"))
    execution.floor: expected a fraction, got 'x'
    """


_PathErrorT = TypeVar("_PathErrorT", bound=_PathError)


class _PathErrorGroup(PerfscoreError, ExceptionGroup[_PathErrorT]):  # noqa: N818 - a group, named as one
    """Every problem of one file, each a :class:`_PathError` naming its path.

    ``str()`` is a headline, ``source: <what the file is not> (n problems)``, then one
    line per problem.
    """

    leaf: ClassVar[type[_PathError]]  # the type of each problem
    what: ClassVar[str]  # what the file is not, in the headline
    source: str

    def __new__(cls, source: str, problems: Sequence[_PathErrorT]) -> Self:
        """Build the group; ``source`` names the file (or ``<string>``)."""
        self = super().__new__(cls, cls._message(source, problems), problems)
        self.source = source
        return self

    def __init__(self, source: str, problems: Sequence[_PathErrorT]) -> None:
        super().__init__(self.message, problems)
        self.source = source

    @classmethod
    def _message(cls, source: str, problems: Sequence[_PathError]) -> str:
        """The group's message: ``source: <what the file is not> (n problems)``."""
        count = len(problems)
        noun = "problem" if count == 1 else "problems"
        return f"{source}: {cls.what} ({count} {noun})"

    def derive(self, excs: Sequence[_PathErrorT]) -> Self:  # type: ignore[override]
        """Keep the class and the source when the group is split."""
        return type(self)(self.source, list(excs))

    def __str__(self) -> str:
        """The headline, then one line per problem."""
        return _listed(self.message, self.exceptions)

    def __reduce__(self) -> tuple[type[Self], tuple[str, list[_PathErrorT]]]:
        """Pickle through the constructor."""
        problems = [error for error in self.exceptions if isinstance(error, _PathError)]
        return (type(self), (self.source, problems))


def _listed(headline: str, problems: Iterable[Exception]) -> str:
    """The headline, then each problem on its own line: ``  path: problem``."""
    lines = [headline]
    lines.extend(
        "  " + ": ".join(part for part in (problem.path, problem.problem) if part)
        for problem in problems
        if isinstance(problem, _PathError)
    )
    return "\n".join(lines)


class TableFormatError(_PathErrorGroup[InvalidTable]):
    """A file that is not a table in the ``perfscore.table/1`` format.

    It gathers every problem found in the file, each an :class:`InvalidTable` naming
    its path, instead of stopping at the first. ``str()`` lists them all.

    >>> err = TableFormatError("t.json", [
    ...     InvalidTable("name", "required key missing"),
    ...     InvalidTable("indicators[0].weight", "expected a string or a number, got a list"),
    ... ])
    >>> print(err)
    t.json: not a perfscore table (2 problems)
      name: required key missing
      indicators[0].weight: expected a string or a number, got a list
    """

    leaf = InvalidTable
    what = "not a perfscore table"


class NoTablesFoundError(PerfscoreError, FileNotFoundError):
    """A path that holds no table file: missing, or a directory or glob with none.

    >>> print(NoTablesFoundError("tables/", "no .json table files found"))
    tables/: no .json table files found
    """

    def __init__(self, path: str, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(path, reason)

    def __str__(self) -> str:
        """``path: reason``."""
        return f"{self.path}: {self.reason}"

    def __reduce__(self) -> tuple[type[Self], tuple[str, str]]:
        """Pickle through the constructor."""
        return (type(self), (self.path, self.reason))


class DocumentError(PerfscoreError, ValueError):
    """A document perfscore cannot read tables from, and what to do about it.

    Attributes:
        source: the file.
        reason: what the document is and what to do, in one line.

    >>> print(DocumentError("scan.pdf", "a scanned PDF with no text layer; run OCR on it first"))
    scan.pdf: a scanned PDF with no text layer; run OCR on it first
    """

    def __init__(self, source: str, reason: str) -> None:
        self.source = source
        self.reason = reason
        super().__init__(source, reason)

    def __str__(self) -> str:
        """``source: reason``."""
        return f"{self.source}: {self.reason}"

    def __reduce__(self) -> tuple[type[Self], tuple[str, str]]:
        """Pickle through the constructor."""
        return (type(self), (self.source, self.reason))


class MissingExtraError(PerfscoreError, ImportError):
    """An optional library that is not installed: a document format's, or pandas.

    Attributes:
        what: what needs it (``.xlsx files``, ``data frames``).
        extra: the perfscore extra that installs it (``xlsx``).
        package: the library (``openpyxl``).
        action: what is done with them (``reading``, ``making``, ``writing``).

    >>> print(MissingExtraError(".xlsx files", "xlsx", "openpyxl"))
    reading .xlsx files needs openpyxl, which is not installed: pip install "perfscore[xlsx]"
    >>> print(MissingExtraError("data frames", "pandas", "pandas", "making"))
    making data frames needs pandas, which is not installed: pip install "perfscore[pandas]"
    >>> print(MissingExtraError("an .xlsx workbook", "xlsx", "openpyxl", "writing"))
    writing an .xlsx workbook needs openpyxl, which is not installed: pip install "perfscore[xlsx]"
    """

    def __init__(self, what: str, extra: str, package: str, action: str = "reading") -> None:
        self.what = what
        self.extra = extra
        self.package = package
        self.action = action
        super().__init__(what, extra, package, action)

    def __str__(self) -> str:
        """What needs which library, and the ``pip install`` that fixes it."""
        return (
            f"{self.action} {self.what} needs {self.package}, which is not installed: "
            f'pip install "perfscore[{self.extra}]"'
        )

    def __reduce__(self) -> tuple[type[Self], tuple[str, str, str, str]]:
        """Pickle through the constructor."""
        return (type(self), (self.what, self.extra, self.package, self.action))


class InvalidProfile(_PathErrorGroup[InvalidParameter], ValueError):  # noqa: N818 - reads as the noun it reports
    """A rule profile that cannot be used, with every problem found in it.

    An :class:`ExceptionGroup` of :class:`InvalidParameter` problems, and a
    :class:`ValueError`.

    Attributes:
        source: the profile file (or ``<string>``).
        problems: ``(path, problem)`` pairs, the path in TOML dotted form
            (``execution.floor``).

    >>> print(InvalidProfile("my.toml", [("execution.floor", "expected a fraction, got 'x'"),
    ...                                  ("colour", "unknown parameter")]))
    my.toml: not a usable rule profile (2 problems)
      execution.floor: expected a fraction, got 'x'
      colour: unknown parameter

    A file that cannot be read at all has one problem with no path, on one line:

    >>> print(InvalidProfile("p.toml", [("", "a directory, not a profile file")]))
    p.toml: not a usable rule profile: a directory, not a profile file
    """

    leaf = InvalidParameter
    what = "not a usable rule profile"

    def __new__(cls, source: str, problems: Sequence[tuple[str, str] | InvalidParameter]) -> Self:
        """Build the group from ``(path, problem)`` pairs (or the problems themselves)."""
        return super().__new__(cls, source, _parameters(problems, source))

    def __init__(self, source: str, problems: Sequence[tuple[str, str] | InvalidParameter]) -> None:
        super().__init__(source, _parameters(problems, source))
        self.args = (source, self.problems)

    @classmethod
    def _message(cls, source: str, problems: Sequence[_PathError]) -> str:
        # The whole text, not only the headline: the message a ValueError had.
        if len(problems) == 1 and not problems[0].path:  # the whole file: one line
            return f"{source}: {cls.what}: {problems[0].problem}"
        return _listed(super()._message(source, problems), problems)

    @property
    def problems(self) -> tuple[tuple[str, str], ...]:
        """Each problem as a ``(path, problem)`` pair, in the order found."""
        return tuple(
            (problem.path, problem.problem)
            for problem in self.exceptions
            if isinstance(problem, InvalidParameter)
        )

    def __str__(self) -> str:
        """The headline, then one line per problem; a problem of the whole file on one line."""
        return self.message

    def __reduce__(self) -> tuple[type[Self], tuple[str, tuple[tuple[str, str], ...]]]:  # type: ignore[override]
        """Pickle through the constructor."""
        return (type(self), (self.source, self.problems))


def _parameters(
    problems: Iterable[tuple[str, str] | InvalidParameter], source: str
) -> list[InvalidParameter]:
    return [
        problem
        if isinstance(problem, InvalidParameter)
        else InvalidParameter(*problem, source=source)
        for problem in problems
    ]


_GroupT = TypeVar("_GroupT", bound="_PathErrorGroup[Any]")


class Problems(Generic[_GroupT]):
    """Problems found while reading nested data, each with its path, raised together.

    A reader does not stop at the first problem: it notes each one with its path
    (``indicators[3].target``, ``profiles.execution.floor``) and reads on, and at the
    end raises them all as one group of the collector's type, as cattrs does. Each
    problem is an exception of the group's leaf type (:class:`InvalidTable`,
    :class:`InvalidParameter`) carrying its path, so ``except*`` picks them out.

    A problem may carry an ``order`` (a CSV line): the group lists the problems by it,
    and in the order found where it is equal.

    >>> problems = Problems(TableFormatError, source="t.json")
    >>> problems.add("name", "required key missing")
    >>> problems.add("indicators[3].target", "expected a string, got an array")
    >>> len(problems)
    2
    >>> problems.raise_if_any()
    Traceback (most recent call last):
    ...
    perfscore.errors.TableFormatError: t.json: not a perfscore table (2 problems)
      name: required key missing
      indicators[3].target: expected a string, got an array
    >>> try:
    ...     problems.raise_if_any()
    ... except* InvalidTable as group:
    ...     print([problem.path for problem in group.exceptions])
    ['name', 'indicators[3].target']
    """

    __slots__ = ("_found", "group", "source")

    def __init__(self, group: type[_GroupT], *, source: str) -> None:
        self.group = group
        self.source = source
        self._found: list[tuple[int, _PathError]] = []

    def add(self, path: str, problem: str, *, order: int = 0) -> None:
        """Note a problem at ``path`` (``""``: the whole)."""
        self._found.append((order, self.group.leaf(path, problem, source=self.source)))

    def __len__(self) -> int:
        """How many problems were noted (so far: a mark to tell new ones by)."""
        return len(self._found)

    def split(self, start: int) -> Problems[_GroupT]:
        """The problems noted from ``start`` on, moved to a new collector."""
        moved = Problems(self.group, source=self.source)
        moved._found = self._found[start:]
        del self._found[start:]
        return moved

    def extend(self, other: Problems[_GroupT]) -> None:
        """Take in the problems of another collector."""
        self._found.extend(other._found)

    def error(self) -> _GroupT:
        """The problems as one group, in order."""
        self._found.sort(key=_order)
        return self.group(self.source, [problem for _, problem in self._found])

    def raise_if_any(self) -> None:
        """Raise the problems as one group, if there are any."""
        if self._found:
            raise self.error()


def _order(found: tuple[int, _PathError]) -> int:
    return found[0]


class UnknownProfileError(PerfscoreError, LookupError):
    """A profile name that is neither built in nor an existing file.

    Attributes:
        name: the name or path asked for.
        known: the built-in profiles' names.
        reason: why, when the name is a path (``no such file``); ``""`` otherwise.

    >>> print(UnknownProfileError("mof2020", ("changji-2023", "mof-2020")))
    unknown rule profile 'mof2020'; built-in profiles: changji-2023, mof-2020 (or give a .toml file)
    >>> print(UnknownProfileError("my.toml", ("mof-2020",), reason="no such file"))
    unknown rule profile 'my.toml': no such file; built-in profiles: mof-2020
    """

    def __init__(self, name: str, known: Sequence[str], *, reason: str = "") -> None:
        self.name = name
        self.known = tuple(known)
        self.reason = reason
        super().__init__(name, self.known, reason)

    def __str__(self) -> str:
        """Name the profile asked for, why it is unknown, and the ones that exist."""
        if self.reason:
            return (
                f"unknown rule profile {self.name!r}: {self.reason}; "
                f"built-in profiles: {', '.join(self.known)}"
            )
        return (
            f"unknown rule profile {self.name!r}; built-in profiles: {', '.join(self.known)}"
            " (or give a .toml file)"
        )

    def __reduce__(self) -> tuple[type[Self], tuple[str, tuple[str, ...]], dict[str, str]]:
        """Pickle with the reason restored."""
        return (type(self), (self.name, self.known), {"reason": self.reason})
