"""Session set-up for every test, the notebooks' nbval runs included.

A notebook whose ``baseline`` is empty looks for the last published edition in the reports
folder; the stored outputs nbval compares with were made with none published. So the whole
session starts with an empty reports folder of its own (tests that publish set their own).
"""

from __future__ import annotations

import os
import tempfile


def pytest_configure(config) -> None:
    folder = tempfile.mkdtemp(prefix="parley-test-reports-")
    os.environ["PARLEY_REPORTS_DIR"] = folder
