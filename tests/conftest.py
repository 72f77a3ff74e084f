from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# Property tests hold rules, not speeds: no example fails for taking long on a busy
# machine (Hypothesis's default 200 ms deadline and its too-slow health check made
# tests fail now and then under load). A test may still set a deadline of its own as
# a guard against hangs.
settings.register_profile("perfscore", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("perfscore")

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def examples() -> Path:
    return ROOT / "examples" / "changji-2023"


@pytest.fixture(autouse=True, scope="session")
def _run_from_repo_root():
    """Docstring examples name files relative to the repository root."""
    monkeypatch = pytest.MonkeyPatch()
    monkeypatch.chdir(ROOT)
    yield
    monkeypatch.undo()


# A test's id reaches its subprocesses' environment (PYTEST_CURRENT_TEST): an id of a
# parameter's 200 kB value made "Argument list too long" on some machines. Give such
# parameters ids= of their own.
LONGEST_TEST_ID = 1000  # far below the 128 kB one variable may hold


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Refuse a test whose id is too long for an environment variable to carry safely."""
    long = [item.nodeid for item in items if len(item.nodeid) > LONGEST_TEST_ID]
    if long:
        shown = ", ".join(f"{nodeid[:80]}… ({len(nodeid)} characters)" for nodeid in long[:3])
        raise pytest.UsageError(f"test ids over {LONGEST_TEST_ID} characters: {shown}")
