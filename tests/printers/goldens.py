"""Golden files: expected bytes live in tests/printers/golden/<name>.txt.

Most were cut from the real-kubectl samples in the fidelity reference; set
KCORE_UPDATE_GOLDEN=1 to (re)write the ones this suite generated itself."""
import os
from pathlib import Path

GOLDEN = Path(__file__).parent / "golden"


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / f"{name}.txt"
    if os.environ.get("KCORE_UPDATE_GOLDEN"):
        path.write_text(text)
    assert path.exists(), f"{path} is missing: run with KCORE_UPDATE_GOLDEN=1 and review it"
    assert text == path.read_text(), f"{name}: output differs from {path}"
