"""parley._imports: jsonschema's IRI grammar is built on first use, not on import, and answers the same.

Each check runs in a fresh interpreter: what a process imports is the thing under test.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

pytest.importorskip("rfc3987_syntax")

IRI_CASES = [("http://example.org/ä", "iri"), ("not an iri", "iri"), ("://x", "iri-reference"), ("a/b?c#d", "iri-reference")]
PROBE = """
import json, sys
{prelude}
import nbformat, jsonschema
loaded_at_import = "rfc3987_syntax.syntax_helpers" in sys.modules
checker = jsonschema.Draft7Validator.FORMAT_CHECKER
answers = [checker.conforms(value, fmt) for value, fmt in {cases!r}]
print(json.dumps({{"loaded_at_import": loaded_at_import, "answers": answers,
                  "loaded_after_use": "rfc3987_syntax.syntax_helpers" in sys.modules}}))
"""


def probe(prelude: str) -> dict:
    code = PROBE.format(prelude=prelude, cases=IRI_CASES)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def test_importing_parley_defers_the_grammar_and_keeps_the_answers():
    plain = probe("")
    deferred = probe("import parley")
    assert plain["loaded_at_import"] is True  # what the deferral saves
    assert deferred["loaded_at_import"] is False
    assert deferred["answers"] == plain["answers"] == [True, False, False, True]
    assert deferred["loaded_after_use"] is True


def test_defer_is_harmless_when_the_package_is_already_loaded():
    result = probe("import rfc3987_syntax\nimport parley")
    assert result["loaded_at_import"] is True
    assert result["answers"] == [True, False, False, True]
