"""`.ci/installer-check` (compiles the Windows installer under Wine) stays out of `.ci/run`, is valid
bash, and always takes the i386 architecture it enables away again (a foreign architecture whose
package lists fail breaks `apt-get update` for CI)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / ".ci" / "installer-check"


def test_installer_check_is_valid_bash_and_not_part_of_ci() -> None:
    assert os.access(SCRIPT, os.X_OK)
    subprocess.run(["bash", "-n", str(SCRIPT)], check=True)
    assert "installer-check" not in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    text = SCRIPT.read_text(encoding="utf-8")
    assert "trap cleanup_i386 EXIT" in text and "dpkg --remove-architecture i386" in text
    # it compiles the real script, not a copy kept elsewhere
    assert "cp resources/packaging/windows/crocoqb.iss" in text
