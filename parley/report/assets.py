"""plotly.js for briefing pages: the wheel's full bundle, or a smaller partial bundle from npm.

Every briefing inlines plotly.js once, so the page opens offline and makes no request. The plotly
wheel ships the full bundle (``plotly/package_data/plotly.min.js``, about 4.8 MB). npm publishes
partial bundles of the same plotly.js version; ``plotly.js-cartesian-dist-min`` holds the traces a
briefing draws (bar, scatter, heatmap, box, histogram, pie, ...) in about 1.5 MB. We never commit
it: ``parley assets fetch`` (run by ``make setup``) downloads it at the version of the
installed wheel, checks its integrity against the registry's ``dist.integrity`` and stores it in
the git-ignored ``briefing_templates/parley/static/vendor/``.

:func:`plotly_js` picks the partial bundle when every trace type on the page is in it, and the full
bundle otherwise, or when the partial bundle was never fetched.

Command line::

    parley assets fetch [--force]   # download and verify the partial bundles
    parley assets status            # what is installed, and the bundle sizes
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import re
import tarfile
import urllib.error
import urllib.request
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from parley import paths
from parley.fileio import write_atomic

#: Partial bundles, smallest first: kind → (npm package, file inside its tarball). Pages take the
#: smallest one holding every trace type they draw. Adding a bundle is one line here.
PARTIALS: dict[str, tuple[str, str]] = {
    "basic": ("plotly.js-basic-dist-min", "package/plotly-basic.min.js"),
    "cartesian": ("plotly.js-cartesian-dist-min", "package/plotly-cartesian.min.js"),
}
#: The default partial bundle (kept for callers that name one).
PARTIAL_PACKAGE, PARTIAL_FILE = PARTIALS["cartesian"]
VENDOR_DIR = paths.TEMPLATES_DIR / "parley" / "static" / "vendor"

#: Trace types of the cartesian bundle, as its README lists them (4.1.1). The manifest written by
#: :func:`fetch` records the list read from the fetched package's own README, which wins.
CARTESIAN_TRACES = frozenset(
    {
        "bar",
        "box",
        "contour",
        "heatmap",
        "histogram",
        "histogram2d",
        "histogram2dcontour",
        "image",
        "pie",
        "scatter",
        "scatterternary",
        "violin",
    }
)

#: Trace types of the basic bundle (4.1.1 README), used when the fetched README lists none.
BASIC_TRACES = frozenset({"bar", "pie", "scatter"})
KNOWN_TRACES = {"basic": BASIC_TRACES, "cartesian": CARTESIAN_TRACES}

# A sane partial bundle is between these sizes; anything else is not what we asked for.
_MIN_BYTES = 300_000
_MAX_BYTES = 6_000_000
_TIMEOUT = 60


class AssetError(Exception):
    """The partial bundle cannot be fetched or does not verify."""


@dataclass(frozen=True)
class Bundle:
    """One plotly.js bundle: which one, its text and its size in bytes."""

    name: str
    path: Path
    text: str

    @property
    def size(self) -> int:
        return len(self.text.encode("utf-8"))


def plotly_js_version() -> str:
    """Version of plotly.js inside the installed plotly wheel (``"4.1.1"``)."""
    from plotly.offline import get_plotlyjs_version

    return get_plotlyjs_version()


def full_bundle_path() -> Path:
    """The full plotly.js bundle shipped in the plotly wheel."""
    import plotly

    return Path(plotly.__file__).parent / "package_data" / "plotly.min.js"


def partial_bundle_path(version: str | None = None, kind: str = "cartesian") -> Path:
    """Where the fetched partial bundle ``kind`` of plotly.js ``version`` lives."""
    return VENDOR_DIR / f"plotly-{kind}-{version or plotly_js_version()}.min.js"


def _manifest_path(bundle: Path) -> Path:
    return bundle.with_name(bundle.name.removesuffix(".min.js") + ".json")


def partial_traces(version: str | None = None, kind: str = "cartesian") -> frozenset[str]:
    """Trace types the fetched partial bundle holds (empty when it is missing or fails its check)."""
    manifest = _verified_manifest(partial_bundle_path(version, kind))
    return frozenset(manifest.get("traces", KNOWN_TRACES[kind])) if manifest else frozenset()


def _verified_manifest(bundle: Path) -> dict | None:
    """The bundle's manifest when the bundle's sha256 matches it, else ``None``."""
    try:
        manifest = json.loads(_manifest_path(bundle).read_text(encoding="utf-8"))
        stat = bundle.stat()
    except (OSError, ValueError):
        return None
    if _sha256(bundle, stat.st_mtime_ns, stat.st_size) != manifest.get("sha256"):
        return None
    return manifest


@lru_cache(maxsize=8)
def _sha256(path: Path, mtime_ns: int, size: int) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@lru_cache(maxsize=4)
def _read(path: Path, mtime_ns: int) -> str:
    return path.read_text(encoding="utf-8")


def _load(name: str, path: Path) -> Bundle:
    return Bundle(name=name, path=path, text=_read(path, path.stat().st_mtime_ns))


def choose_bundle(trace_types) -> Bundle:
    """The smallest bundle that draws every trace type in ``trace_types``.

    Parameters
    ----------
    trace_types
        Trace type names (``{"bar", "heatmap"}``); a trace without a ``type`` is a scatter.

    Returns
    -------
    Bundle
        The smallest fetched partial bundle (see :data:`PARTIALS`) that holds every type,
        otherwise the wheel's full bundle.
    """
    wanted = set(trace_types)
    for kind, (package, _) in PARTIALS.items():
        partial = partial_bundle_path(kind=kind)
        if wanted and partial.is_file() and wanted <= partial_traces(kind=kind):
            return _load(package, partial)
    return _load("plotly.js (full, from the plotly wheel)", full_bundle_path())


def plotly_js(trace_types) -> str:
    """Text of the plotly.js bundle to inline for a page drawing ``trace_types``.

    See :func:`choose_bundle` for the choice.
    """
    return choose_bundle(trace_types).text


# --------------------------------------------------------------------------------------------
# fetching


def _registry() -> str:
    # npm's own setting, so a mirror configured for npm is used here too.
    return (os.environ.get("npm_config_registry") or os.environ.get("NPM_CONFIG_REGISTRY") or "https://registry.npmjs.org/").rstrip("/")


def _get(url: str) -> bytes:
    request = urllib.request.Request(url, headers={"Accept": "application/json, application/octet-stream", "User-Agent": "parley-assets"})
    try:
        with urllib.request.urlopen(request, timeout=_TIMEOUT) as response:
            return response.read()
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise AssetError(f"cannot download {url}: {exc}") from None


def _verify_integrity(data: bytes, dist: dict) -> str:
    """Check ``data`` against npm's ``dist.integrity`` (SRI, sha512) or ``dist.shasum`` (sha1)."""
    integrity = dist.get("integrity")
    if integrity:
        algorithm, _, expected = integrity.partition("-")
        if algorithm not in {"sha512", "sha384", "sha256"}:
            raise AssetError(f"unsupported integrity algorithm {algorithm!r} in {integrity!r}")
        actual = base64.b64encode(hashlib.new(algorithm, data).digest()).decode()
        if actual != expected:
            raise AssetError(f"tarball integrity mismatch: registry says {integrity}, download is {algorithm}-{actual}")
        return integrity
    shasum = dist.get("shasum")
    if shasum:
        actual = hashlib.sha1(data).hexdigest()  # noqa: S324 - npm's legacy checksum, checked not trusted
        if actual != shasum:
            raise AssetError(f"tarball sha1 mismatch: registry says {shasum}, download is {actual}")
        return f"sha1:{shasum}"
    raise AssetError("the registry gave no integrity hash for the tarball; refusing to use it")


def _traces_from_readme(readme: str) -> list[str]:
    match = re.search(r"Contains trace modules (.+?)\.\s*$", readme, flags=re.MULTILINE)
    return sorted(re.findall(r"`([a-z0-9]+)`", match.group(1))) if match else []


def fetch(version: str | None = None, *, force: bool = False, kind: str = "cartesian") -> Path:
    """Download, verify and store the partial bundle ``kind`` (see :data:`PARTIALS`) of plotly.js ``version``.

    Parameters
    ----------
    version
        plotly.js version; defaults to the one inside the installed plotly wheel, so the page's
        plotly.js always matches the figures' schema.
    force
        Download again even when the bundle is already stored.

    Returns
    -------
    Path
        The stored ``.min.js`` file. A manifest (``.json``) beside it records the package,
        version, integrity, sha256 and trace types.

    Raises
    ------
    AssetError
        When the registry cannot be reached or the download does not verify. Nothing is stored
        then, and pages keep using the full bundle.
    """
    version = version or plotly_js_version()
    package, member = PARTIALS[kind]
    target = partial_bundle_path(version, kind)
    if not force and _verified_manifest(target):
        return target
    metadata_url = f"{_registry()}/{package}/{version}"
    try:
        metadata = json.loads(_get(metadata_url))
        dist = metadata["dist"]
        tarball_url = dist["tarball"]
    except (ValueError, KeyError, TypeError) as exc:
        raise AssetError(f"{metadata_url}: unexpected registry answer ({exc})") from None
    if metadata.get("version") != version:
        raise AssetError(f"{metadata_url}: registry answered version {metadata.get('version')!r}, wanted {version}")
    tarball = _get(tarball_url)
    integrity = _verify_integrity(tarball, dist)
    try:
        with tarfile.open(fileobj=io.BytesIO(tarball), mode="r:gz") as archive:
            js = archive.extractfile(member).read()
            readme_member = archive.extractfile("package/README.md")
            readme = readme_member.read().decode("utf-8") if readme_member else ""
    except (tarfile.TarError, KeyError, AttributeError, OSError) as exc:
        raise AssetError(f"{tarball_url}: not the expected package layout ({exc})") from None
    if not _MIN_BYTES <= len(js) <= _MAX_BYTES:
        raise AssetError(f"{member} is {len(js)} bytes; expected between {_MIN_BYTES} and {_MAX_BYTES}")
    head = js[:300].decode("utf-8", errors="replace")
    if f"v{version}" not in head:
        raise AssetError(f"{member} does not announce plotly.js v{version} in its header: {head[:120]!r}")
    if b"</script" in js.lower():
        raise AssetError(f"{member} contains '</script' and cannot be inlined in a page")
    traces = _traces_from_readme(readme) or sorted(KNOWN_TRACES[kind])
    manifest = {
        "package": package,
        "version": version,
        "tarball": tarball_url,
        "integrity": integrity,
        "sha256": hashlib.sha256(js).hexdigest(),
        "bytes": len(js),
        "traces": traces,
    }
    target.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(target, js)
    write_atomic(_manifest_path(target), (json.dumps(manifest, indent=2) + "\n").encode())
    return target


def status() -> dict:
    """Which bundles are available, and their sizes in bytes."""
    version = plotly_js_version()
    full = full_bundle_path()
    out = {"plotly_js_version": version, "full_bundle": str(full), "full_bytes": full.stat().st_size}
    for kind in PARTIALS:
        partial = partial_bundle_path(version, kind)
        out[f"{kind}_bundle"] = str(partial) if partial.is_file() else None
        out[f"{kind}_bytes"] = partial.stat().st_size if partial.is_file() else None
        out[f"{kind}_traces"] = sorted(partial_traces(version, kind))
    return out
