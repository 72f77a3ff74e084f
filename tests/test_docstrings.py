import doctest
import importlib
import pkgutil

import pytest

import perfscore

MODULES = sorted(
    module.name
    for module in pkgutil.walk_packages(perfscore.__path__, "perfscore.")
    if module.name != "perfscore.__main__"
)


@pytest.mark.parametrize("name", ["perfscore", *MODULES])
def test_docstring_examples(name):
    """The examples in every module's docstrings run as written."""
    module = importlib.import_module(name)
    result = doctest.testmod(
        module, optionflags=doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS, verbose=False
    )
    assert result.failed == 0
