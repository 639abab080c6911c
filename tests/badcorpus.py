"""The mutation language of the bad-input corpus (tests/fixtures/bad/*.yml), shared by the tests
that run it: tests/data/test_validate.py (cases.yml through the validator) and tests/test_bad_inputs.py
(cases.yml and commands.yml through the real CLI in a subprocess)."""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path

# -- the mutation language of cases.yml ---------------------------------------------------------


def _read_rows(file: Path) -> list[list[str]]:
    with file.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def _write_rows(file: Path, rows: list[list[str]], delimiter: str = ",") -> None:
    with file.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, delimiter=delimiter, lineterminator="\n").writerows(rows)


def _set(folder: Path, file: str, row: int, field: str, value: str) -> None:
    rows = _read_rows(folder / file)
    rows[row - 1][rows[0].index(field)] = value
    _write_rows(folder / file, rows)


def _drop_column(folder: Path, file: str, field: str) -> None:
    rows = _read_rows(folder / file)
    at = rows[0].index(field)
    _write_rows(folder / file, [r[:at] + r[at + 1:] for r in rows])


def _add_column(folder: Path, file: str, field: str, value: str) -> None:
    rows = _read_rows(folder / file)
    _write_rows(folder / file, [rows[0] + [field]] + [r + [value] for r in rows[1:]])


def _append_row(folder: Path, file: str, values: dict) -> None:
    rows = _read_rows(folder / file)
    unknown = set(values) - set(rows[0])
    assert not unknown, f"append_row: {file} has no column {unknown}"
    _write_rows(folder / file, rows + [[str(values.get(name, "")) for name in rows[0]]])


def _replace(folder: Path, file: str, old: str, new: str) -> None:
    path = folder / file
    text = path.read_bytes().decode("utf-8")
    assert old in text, f"replace: {old!r} not in {file}; the mutation would change nothing"
    path.write_bytes(text.replace(old, new, 1).encode("utf-8"))


def _header_only(folder: Path, file: str) -> None:
    _write_rows(folder / file, _read_rows(folder / file)[:1])


def _delimiter(folder: Path, file: str, to: str) -> None:
    _write_rows(folder / file, _read_rows(folder / file), delimiter=to)


def _encode(folder: Path, file: str, encoding: str) -> None:
    path = folder / file
    data = path.read_text(encoding="utf-8").encode(encoding)
    assert data != path.read_bytes(), f"encode: {file} is the same in {encoding}"
    path.write_bytes(data)


def _line_endings(folder: Path, file: str, to: str) -> None:
    path = folder / file
    path.write_bytes(path.read_bytes().replace(b"\n", to.encode()))


#: A secret outside the dossier: no message, problem or output may ever show it.
SECRET = "PARLEY_TEST_TOKEN=s3cr3t-7f1c9e"


def _secret_file(folder: Path) -> Path:
    """``<case>/../outside/environ``: a file outside the dossier holding a secret (like /proc/self/environ)."""
    outside = folder.parent / "outside"
    outside.mkdir(exist_ok=True)
    secret = outside / "environ"
    secret.write_text(f"{SECRET},HOME=/root\nrow,two\n", encoding="utf-8")
    return secret


def _placeholders(folder: Path, value: object) -> object:
    if isinstance(value, str) and "{secret}" in value:
        return value.replace("{secret}", str(_secret_file(folder)))
    return value


def _json_set(folder: Path, pointer: str, value: object, file: str = "datapackage.json") -> None:
    """Set one value in a JSON file; ``pointer`` is a /-separated path (list indexes as numbers)."""
    path = folder / file
    data = json.loads(path.read_text(encoding="utf-8"))
    *parents, last = pointer.split("/")
    node = data
    for key in parents:
        node = node[int(key)] if isinstance(node, list) else node[key]
    value = _placeholders(folder, value)
    if isinstance(node, list):
        node[int(last)] = value
    else:
        node[last] = value
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")


def _symlink(folder: Path, file: str, to: str) -> None:
    """Replace ``file`` by a symlink to ``to`` (``{secret}``: the secret file outside the dossier)."""
    path = folder / file
    if path.exists():
        os.chmod(path, 0o644)
        path.unlink()
    path.symlink_to(_placeholders(folder, to))


MUTATIONS = {
    "json_set": lambda folder, arg: _json_set(folder, **arg),
    "json_write": lambda folder, arg: (folder / arg.get("file", "datapackage.json")).write_text(json.dumps(arg["value"]), encoding="utf-8"),
    "deep_json": lambda folder, arg: (folder / arg.get("file", "datapackage.json")).write_text("[" * arg["depth"] + "]" * arg["depth"], encoding="utf-8"),
    "symlink": lambda folder, arg: _symlink(folder, **arg),
    "delete": lambda folder, arg: (folder / arg).unlink(),
    "replace": lambda folder, arg: _replace(folder, **arg),
    "set": lambda folder, arg: _set(folder, **arg),
    "drop_column": lambda folder, arg: _drop_column(folder, **arg),
    "add_column": lambda folder, arg: _add_column(folder, **arg),
    "append_row": lambda folder, arg: _append_row(folder, **arg),
    "header_only": _header_only,
    "write": lambda folder, arg: (folder / arg["file"]).write_text(arg["text"], encoding="utf-8"),
    "prepend_bom": lambda folder, arg: (folder / arg).write_bytes(b"\xef\xbb\xbf" + (folder / arg).read_bytes()),
    "delimiter": lambda folder, arg: _delimiter(folder, **arg),
    "encode": lambda folder, arg: _encode(folder, **arg),
    "line_endings": lambda folder, arg: _line_endings(folder, **arg),
}


def apply_mutations(folder: Path, mutations: list[dict]) -> None:
    for mutation in mutations:
        ((op, arg),) = mutation.items()
        MUTATIONS[op](folder, arg)


def _queue(folder: Path, values: dict) -> None:
    """Write ``candidates.csv`` (the review queue) with one candidate of the tiny dossier, some
    fields replaced by ``values`` (the header is the queue's own, read from parley)."""
    from parley.review.queue import FIELDS

    text = (folder / "seeds" / "tiny_001.txt").read_bytes().decode("utf-8")
    row = {name: "" for name in FIELDS}
    row.update(candidate_id="c_0123456789ab", source_id="tiny_001", source_sha256="0" * 64, kind="direct_quote",
               text=text[41:95], char_start="41", char_end="95", status="pending", red_line="false",
               confidence="0.50", stance_confidence="0.10", issues="", stance="")
    row.update({k: str(v) for k, v in values.items()})
    _write_rows(folder / "candidates.csv", [list(FIELDS), [row[name] for name in FIELDS]])


def _outside(folder: Path, file: str, text: str = "", repeat: int = 1, head: str = "", tail: str = "", mode: int | None = None) -> None:
    """Write a file in the case folder, <case>/<file> (the dossier is <case>/data/<name>): an article,
    a spec, a plain file standing where a folder should be. Its text is head + text * repeat + tail * repeat."""
    path = folder.parent.parent / file
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(head + text * repeat + tail * repeat, encoding="utf-8")
    if mode is not None:
        os.chmod(path, mode)


MUTATIONS.update({
    "queue": lambda folder, arg: _queue(folder, arg),
    "outside": lambda folder, arg: _outside(folder, **arg),
})


def _immutable(folder: Path, path: str) -> None:
    """Make <case>/<path> a folder nobody may write, not even root (``chattr +i``; ext4 and the like).
    tests/test_bad_inputs.py undoes it afterwards."""
    import shutil
    import subprocess

    import pytest

    target = folder.parent.parent / path
    target.mkdir(parents=True, exist_ok=True)
    if shutil.which("chattr") is None or subprocess.run(["chattr", "+i", str(target)], capture_output=True).returncode != 0:
        pytest.skip("this file system cannot make a folder read-only for root (chattr +i)")


MUTATIONS["immutable"] = _immutable
