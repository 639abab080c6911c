"""parley.report.assets: choosing the plotly.js bundle, and fetching the partial bundle from a registry.

The fetch tests serve a synthetic package from a registry on 127.0.0.1 (npm's own
``npm_config_registry`` setting points there), so they need no network and can fake a
tampered download.
"""

from __future__ import annotations

import base64
import hashlib
import http.server
import io
import json
import tarfile
import threading
from pathlib import Path

import pytest

from parley.report import assets

FAKE_VERSION = "9.9.9"
README = "# plotly.js-cartesian-dist-min\n\nContains trace modules `bar`, `pie` and `scatter`.\n"


def fake_bundle(version: str = FAKE_VERSION) -> bytes:
    header = f"/**\n* plotly.js (cartesian - minified) v{version}\n* synthetic test bundle\n*/\n"
    return (header + "var Plotly={};" + "/*padding*/" * 40_000).encode()


def fake_tarball(js: bytes) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, data in (("package/plotly-cartesian.min.js", js), ("package/README.md", README.encode())):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def integrity(data: bytes) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()


@pytest.fixture
def registry(monkeypatch, tmp_path):
    """A one-package npm registry on loopback; ``registry.routes`` maps paths to bytes."""
    routes: dict[str, bytes] = {}

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server's naming
            body = routes.get(self.path)
            self.send_response(200 if body is not None else 404)
            self.end_headers()
            self.wfile.write(body or b"{}")

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    monkeypatch.setenv("npm_config_registry", base)
    monkeypatch.setattr(assets, "VENDOR_DIR", tmp_path / "vendor")

    def publish(tarball: bytes, claimed: str | None = None) -> None:
        tar_path = f"/{assets.PARTIAL_PACKAGE}/-/{assets.PARTIAL_PACKAGE}-{FAKE_VERSION}.tgz"
        routes[tar_path] = tarball
        routes[f"/{assets.PARTIAL_PACKAGE}/{FAKE_VERSION}"] = json.dumps(
            {"name": assets.PARTIAL_PACKAGE, "version": FAKE_VERSION, "dist": {"tarball": base + tar_path, "integrity": claimed or integrity(tarball)}}
        ).encode()

    yield publish
    server.shutdown()
    server.server_close()


def test_fetch_stores_a_verified_bundle_and_its_manifest(registry, tmp_path):
    js = fake_bundle()
    registry(fake_tarball(js))
    path = assets.fetch(FAKE_VERSION)
    assert path == tmp_path / "vendor" / f"plotly-cartesian-{FAKE_VERSION}.min.js"
    assert path.read_bytes() == js
    manifest = json.loads(path.with_name(f"plotly-cartesian-{FAKE_VERSION}.json").read_text())
    assert manifest["traces"] == ["bar", "pie", "scatter"]  # read from the package's README
    assert manifest["sha256"] == hashlib.sha256(js).hexdigest()
    assert assets.partial_traces(FAKE_VERSION) == {"bar", "pie", "scatter"}


def test_fetch_refuses_a_tarball_that_does_not_match_its_integrity(registry, tmp_path):
    registry(fake_tarball(fake_bundle()), claimed=integrity(b"something else"))
    with pytest.raises(assets.AssetError, match="integrity mismatch"):
        assets.fetch(FAKE_VERSION)
    assert not (tmp_path / "vendor").exists() or not any((tmp_path / "vendor").iterdir())


def test_fetch_refuses_a_bundle_of_another_version(registry):
    registry(fake_tarball(fake_bundle(version="1.0.0")))
    with pytest.raises(assets.AssetError, match=f"does not announce plotly.js v{FAKE_VERSION}"):
        assets.fetch(FAKE_VERSION)


def test_fetch_without_a_registry_is_an_asset_error(monkeypatch, tmp_path):
    monkeypatch.setenv("npm_config_registry", "http://127.0.0.1:9")  # discard port: refused at once
    monkeypatch.setattr(assets, "VENDOR_DIR", tmp_path / "vendor")
    with pytest.raises(assets.AssetError, match="cannot download"):
        assets.fetch(FAKE_VERSION)
    from click.testing import CliRunner

    from parley.commands.assets import command

    result = CliRunner().invoke(command, ["fetch"])
    assert result.exit_code == 1, result.output  # the Makefile's `|| true` then keeps setup going
    assert "cannot download" in result.output


def _install_fake_partial(monkeypatch, tmp_path, traces=("bar", "pie", "scatter")) -> Path:
    version = assets.plotly_js_version()
    monkeypatch.setattr(assets, "VENDOR_DIR", tmp_path / "vendor")
    bundle = assets.partial_bundle_path(version)
    bundle.parent.mkdir(parents=True)
    js = fake_bundle(version)
    bundle.write_bytes(js)
    manifest = {"version": version, "sha256": hashlib.sha256(js).hexdigest(), "traces": list(traces)}
    bundle.with_name(f"plotly-cartesian-{version}.json").write_text(json.dumps(manifest))
    return bundle


def test_partial_bundle_only_when_it_holds_every_trace_type(monkeypatch, tmp_path):
    bundle = _install_fake_partial(monkeypatch, tmp_path)
    assert assets.choose_bundle({"bar", "scatter"}).path == bundle
    assert assets.plotly_js({"bar"}) == bundle.read_text()
    full = assets.full_bundle_path()
    assert assets.choose_bundle({"bar", "table"}).path == full  # table is in no partial bundle
    assert assets.choose_bundle({"scattergl"}).path == full


def test_tampered_partial_bundle_falls_back_to_the_full_one(monkeypatch, tmp_path):
    bundle = _install_fake_partial(monkeypatch, tmp_path)
    bundle.write_bytes(bundle.read_bytes() + b"/* changed */")
    assert assets.choose_bundle({"bar"}).path == assets.full_bundle_path()


def test_missing_partial_bundle_falls_back_to_the_full_one(monkeypatch, tmp_path):
    monkeypatch.setattr(assets, "VENDOR_DIR", tmp_path / "nothing-here")
    chosen = assets.choose_bundle({"bar"})
    assert chosen.path == assets.full_bundle_path()
    assert f"plotly.js v{assets.plotly_js_version()}" in chosen.text[:200]


def test_the_fetched_bundle_matches_the_wheel_version():
    """`make setup` fetched the real bundle; it must be the wheel's plotly.js version and verify."""
    version = assets.plotly_js_version()
    path = assets.partial_bundle_path(version)
    if not path.is_file():
        pytest.skip(f"{path} not fetched (run `parley assets fetch`)")
    assert f"v{version}" in path.read_text(encoding="utf-8")[:200]
    assert {"bar", "scatter", "heatmap", "box", "histogram", "pie", "violin", "contour"} <= assets.partial_traces(version)


def test_the_smallest_partial_bundle_that_draws_the_page_wins(monkeypatch, tmp_path):
    version = assets.plotly_js_version()
    monkeypatch.setattr(assets, "VENDOR_DIR", tmp_path / "vendor")
    (tmp_path / "vendor").mkdir()
    installed = {}
    for kind, traces in (("basic", ["bar", "pie", "scatter"]), ("cartesian", ["bar", "heatmap", "pie", "scatter"])):
        bundle = assets.partial_bundle_path(version, kind)
        js = fake_bundle(version) + kind.encode()
        bundle.write_bytes(js)
        manifest = {"version": version, "sha256": hashlib.sha256(js).hexdigest(), "traces": traces}
        bundle.with_name(f"plotly-{kind}-{version}.json").write_text(json.dumps(manifest))
        installed[kind] = bundle
    assert assets.choose_bundle({"scatter", "bar"}).path == installed["basic"]
    assert assets.choose_bundle({"scatter", "heatmap"}).path == installed["cartesian"]
    assert assets.choose_bundle({"scatter", "violin"}).path == assets.full_bundle_path()


def test_setup_fetched_both_partial_bundles():
    version = assets.plotly_js_version()
    basic = assets.partial_bundle_path(version, "basic")
    if not basic.is_file():
        pytest.skip(f"{basic} not fetched (run `parley assets fetch`)")
    assert assets.partial_traces(version, "basic") == {"bar", "pie", "scatter"}
    assert basic.stat().st_size < assets.partial_bundle_path(version).stat().st_size
