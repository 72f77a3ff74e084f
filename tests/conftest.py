from pathlib import Path

import pytest

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
