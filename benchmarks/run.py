"""``make bench``: what a briefing costs, against the goals of the performance issue.

Measured, each with several runs and the median (see benchmarks/README.md):

1. the floor: ``papermill`` on an empty notebook plus ``jupyter nbconvert --to html`` of its
   output, against ``parley render briefing`` on the seed dossier, runs interleaved so a noisy
   machine slows both alike: the ratio (goal <= 1.2);
2. the size of every rendered HTML page (main briefing <= 1.5 MB), and the requests a headless
   Chromium makes when it opens each page (goal 0 leaving the file);
3. 12 briefings one by one against the same 12 on 2 workers (goal <= 0.6x); an edition of 12
   on 2 workers in a new process against one render (<= 3.5x) and its first published page
   (<= 1.0x), with warm kernels, and with a fresh kernel per page for information; the edition
   after a one-statement edit against the full one, with ``parley run --watch`` (<= 0.3x) and,
   for information, as a new run;
4. the scale series on synthetic dossiers (``parley synth``): N = 1,000, 10,000, 100,000 (and
   1,000,000 when 6 GB of memory are free): render time against the seed's (<= 2x at 100,000), page size
   (<= 2 MB), peak memory of the kernel (<= 1.5 GB) and ``parley validate`` time (<= 10 s).

It prints each figure beside its goal, writes the table to ``docs/benchmarks.md`` and exits 1
when a goal is missed by more than 10% (2 when the benchmark itself could not run). Sizes use
MB = 2^20 bytes (as ``ls -lh`` shows them) and GB = 2^30 bytes.

    python benchmarks/run.py [--runs 5] [--scale-runs 3] [--million auto|yes|no] [--quick] [--skip-batch] [--skip-scale]
"""

from __future__ import annotations

import argparse
import concurrent.futures
import importlib.util
import multiprocessing
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
DOC = ROOT / "docs" / "benchmarks.md"
SYNTH_ROOT = ROOT / "build" / "synth"
MB = 2**20
GB = 2**30
TOLERANCE = 0.10  # a goal missed by more than this fails the run
SCALE_ACTORS, SCALE_ISSUES, SCALE_SEED = 120, 16, 1
NOTEBOOKS = ("briefing", "actor_profile", "issue_brief", "dataset_qa")
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"]


# ---------------------------------------------------------------------------------------------
# results


@dataclass
class Figure:
    """One measured figure and its goal (``goal`` None: shown for information only)."""

    section: str
    name: str
    value: float | None
    shown: str
    goal: float | None = None
    goal_shown: str = ""
    note: str = ""

    @property
    def status(self) -> str:
        if self.value is None:
            return "not measured"
        if self.goal is None:
            return ""
        if self.value <= self.goal:
            return "met"
        if self.goal == 0 or self.value > self.goal * (1 + TOLERANCE):
            return "MISSED"
        return "missed (within 10%)"


@dataclass
class Bench:
    figures: list[Figure] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add(self, figure: Figure) -> None:
        self.figures.append(figure)
        goal = f"  goal {figure.goal_shown}" if figure.goal_shown else ""
        status = f"  [{figure.status}]" if figure.status else ""
        note = f"  ({figure.note})" if figure.note else ""
        print(f"  {figure.name:<58} {figure.shown:>16}{goal}{status}{note}", flush=True)

    def note(self, text: str) -> None:
        self.notes.append(text)
        print(f"  note: {text}", flush=True)


def _seconds(value: float) -> str:
    return f"{value:.2f} s"


def _size(value: float) -> str:
    return f"{value / MB:.2f} MB"


def _median(values: list[float]) -> float:
    return statistics.median(values)


def _spread(values: list[float]) -> str:
    return f"median of {len(values)}: " + ", ".join(f"{v:.2f}" for v in values) if len(values) > 1 else "1 run"


# ---------------------------------------------------------------------------------------------
# running commands, with the peak memory of every process they start


@dataclass
class Run:
    seconds: float
    cpu: float = 0.0  # user + system seconds of the command and every process it waited for (its kernel)
    peak_parent: int = 0  # bytes
    peak_kernel: int = 0
    stdout: str = ""


def _high_water(pid: int) -> int:
    """Peak resident set size of a live process (VmHWM), in bytes; 0 when unreadable."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return 0


def run(cmd: list[str], *, env: dict | None = None, cwd: Path | None = None, watch: bool = False) -> Run:
    """Run ``cmd``; its wall time, and with ``watch`` the peak RSS of it and of its kernel."""
    import psutil

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    process = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=cwd)
    peaks = {"parent": 0, "kernel": 0}
    stop = threading.Event()

    def poll() -> None:
        try:
            root = psutil.Process(process.pid)
        except psutil.Error:
            return
        while not stop.is_set():
            try:
                children = root.children(recursive=True)
            except psutil.Error:
                children = []
            peaks["parent"] = max(peaks["parent"], _high_water(process.pid))
            for child in children:
                try:
                    is_kernel = any("ipykernel" in part for part in child.cmdline())
                except psutil.Error:
                    continue
                if is_kernel:
                    peaks["kernel"] = max(peaks["kernel"], _high_water(child.pid))
            stop.wait(0.02)

    watcher = threading.Thread(target=poll, daemon=True) if watch else None
    if watcher:
        watcher.start()
    stdout, stderr = process.communicate()
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    stop.set()
    if watcher:
        watcher.join()
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, cmd))} exited {process.returncode}:\n{stderr[-3000:]}")
    return Run(seconds, cpu, peaks["parent"], peaks["kernel"], stdout)


def render_cli(notebook: str, out_dir: Path, dossier: Path | None = None, watch: bool = False) -> Run:
    cmd = [str(BIN / "parley"), "render", notebook, "--quiet", "--out", str(out_dir)]
    if dossier is not None:
        cmd += ["--dossier", str(dossier)]
    return run(cmd, watch=watch)


def floor_once(work: Path) -> Run:
    """papermill on an empty notebook, then nbconvert of its output to HTML: the bare tools."""
    empty = work / "empty.ipynb"
    if not empty.exists():
        import nbformat

        nb = nbformat.v4.new_notebook()
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        nbformat.write(nb, empty)
    executed = work / "empty.out.ipynb"
    first = run([str(BIN / "papermill"), str(empty), str(executed), "-k", "python3", "--no-progress-bar"], cwd=work)
    second = run([str(BIN / "jupyter"), "nbconvert", "--to", "html", str(executed)], cwd=work)
    return Run(first.seconds + second.seconds, first.cpu + second.cpu)


# ---------------------------------------------------------------------------------------------
# 1. floor against render


def measure_floor(bench: Bench, work: Path, runs: int) -> None:
    print("\n1. Render cost against the bare tools' floor (seed dossier, main briefing)", flush=True)
    floors, renders = [], []
    render_cli("briefing", work / "warm")  # a first run warms the disk cache for both
    for index in range(runs):
        floors.append(floor_once(work))
        renders.append(render_cli("briefing", work / f"seed-{index}"))
    floor, render = _median([r.seconds for r in floors]), _median([r.seconds for r in renders])
    floor_cpu, render_cpu = _median([r.cpu for r in floors]), _median([r.cpu for r in renders])
    bench.add(Figure("floor", "floor: papermill (empty notebook) + nbconvert --to html", floor, _seconds(floor),
                     note=_spread([r.seconds for r in floors]) + f"; CPU {floor_cpu:.2f} s"))
    bench.add(Figure("floor", "parley render briefing (seed dossier)", render, _seconds(render),
                     note=_spread([r.seconds for r in renders]) + f"; CPU {render_cpu:.2f} s"))
    bench.add(Figure("floor", "render / floor (wall time)", render / floor, f"{render / floor:.2f}x", 1.2, "<= 1.2x"))
    bench.add(Figure("floor", "render / floor (CPU time, less sensitive to a busy machine)", render_cpu / floor_cpu,
                     f"{render_cpu / floor_cpu:.2f}x", note="information"))


# ---------------------------------------------------------------------------------------------
# 2. sizes and requests


def measure_pages(bench: Bench, work: Path, seed_page: Path) -> list[tuple[str, Path]]:
    print("\n2. Page size and requests (seed dossier, every notebook)", flush=True)
    pages = []
    for name in NOTEBOOKS:
        page = seed_page if name == "briefing" else None
        if page is None:
            render_cli(name, work / "pages")
            # A notebook with a subject writes <name>-<subject>.html (one page per actor or issue).
            page = next(iter(sorted((work / "pages").glob(f"{name}*.html"))))
        pages.append((f"{name}.html", page))
        size = page.stat().st_size
        goal = (1.5 * MB, "<= 1.50 MB") if name == "briefing" else (None, "")
        bench.add(Figure("pages", f"{name}.html size", size, f"{_size(size)} ({size:,} B)", goal[0], goal[1], _bundle_note(page)))
    return pages


def _bundle_note(page: Path) -> str:
    text = page.read_text(encoding="utf-8")
    scripts = re.findall(r"<script(?: [^>]*)?>(.*?)</script>", text, flags=re.DOTALL)
    biggest = max((len(s.encode()) for s in scripts), default=0)
    return f"plotly.js {_size(biggest)} of it" if biggest > 100_000 else "no plotly.js"


def _refuse_all_but(url: str, outside: list[str]):
    """A route handler (one parameter: Playwright passes the request too to a two-parameter one)."""

    def route(request_route) -> None:
        if request_route.request.url == url:
            request_route.continue_()
        else:
            outside.append(request_route.request.url)
            request_route.abort()

    return route


def measure_requests(bench: Bench, pages: list[tuple[str, Path]], work: Path) -> None:
    """Open each page in headless Chromium; count every request that is not the page itself."""
    if not Path(CHROMIUM).exists():
        bench.add(Figure("pages", "external requests (browser)", None, "no chromium", 0, "0"))
        return
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(str(work / "chromium-profile"), executable_path=CHROMIUM, headless=True,
                                                                args=CHROMIUM_FLAGS)
        try:
            for name, page_path in pages:
                url = page_path.resolve().as_uri()
                outside: list[str] = []
                errors: list[str] = []

                context.route("**/*", _refuse_all_but(url, outside))
                page = context.new_page()
                page.on("console", lambda message, errors=errors: message.type == "error" and errors.append(message.text))
                page.goto(url, wait_until="load")
                try:
                    page.wait_for_function("Array.from(document.querySelectorAll('.parley-plot')).every(n => n.querySelector('.main-svg'))",
                                           timeout=30_000)
                    drawn = page.eval_on_selector_all(".parley-plot .main-svg", "nodes => nodes.length")
                except Exception:  # noqa: BLE001 - a page that never draws is reported, not fatal
                    drawn = -1
                page.close()
                context.unroute("**/*")
                note = f"{len(errors)} console error(s)" + (f"; first: {outside[0]}" if outside else "") + ("" if drawn >= 0 else "; charts never drew")
                bench.add(Figure("pages", f"{name}: requests leaving the file", len(outside), str(len(outside)), 0, "0", note))
        finally:
            context.close()


# ---------------------------------------------------------------------------------------------
# 3. batch


def _render_job(job: tuple[str, str]) -> float:
    from parley.report.render import render_briefing

    notebook, out_dir = job
    return render_briefing(notebook, out_dir=out_dir, progress=False).seconds


def measure_batch(bench: Bench, work: Path) -> None:
    print("\n3. 12 briefings one by one against 2 workers", flush=True)
    bench.note(f"load average when the batch started: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs "
               "(2 workers can only halve the time when two CPUs are free)")
    batch_py = ROOT / "benchmarks" / "batch.py"
    if batch_py.exists():
        try:
            spec = importlib.util.spec_from_file_location("parley_bench_batch", batch_py)
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
            result = module.measure_batch(n=12, workers=2)
            sequential, parallel = _batch_times(result)
            bench.add(Figure("batch", "12 briefings one by one (parley run, 1 worker)", sequential, _seconds(sequential), note="benchmarks/batch.py"))
            bench.add(Figure("batch", "12 briefings on 2 workers (parley run)", parallel, _seconds(parallel), note="benchmarks/batch.py"))
            bench.add(Figure("batch", "2 workers / one by one", parallel / sequential, f"{parallel / sequential:.2f}x", 0.6, "<= 0.60x"))
            measure_editions(bench, work, module)
            return
        except Exception as exc:  # noqa: BLE001 - fall back to our own measure, and say so
            bench.note(f"benchmarks/batch.py did not give a result ({type(exc).__name__}: {exc}); measured 12 render_briefing calls instead")
    else:
        bench.note("benchmarks/batch.py (parley run) is not there yet: measured 12 render_briefing calls, one by one in one process "
                   "and on a 2-process pool")
    jobs = [(name, str(work / "batch" / f"{name}-{i}")) for i in range(3) for name in NOTEBOOKS]
    started = time.perf_counter()
    for job in jobs:
        _render_job(job)
    sequential = time.perf_counter() - started
    jobs = [(name, out + "-pool") for name, out in jobs]
    started = time.perf_counter()
    with concurrent.futures.ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("spawn")) as pool:
        list(pool.map(_render_job, jobs))
    parallel = time.perf_counter() - started
    bench.add(Figure("batch", "12 render_briefing calls one by one", sequential, _seconds(sequential), note="4 notebooks x 3"))
    bench.add(Figure("batch", "the same 12 on a 2-process pool", parallel, _seconds(parallel)))
    bench.add(Figure("batch", "2 workers / one by one", parallel / sequential, f"{parallel / sequential:.2f}x", 0.6, "<= 0.60x",
                     f"{os.cpu_count()} CPU(s) seen"))


def measure_editions(bench: Bench, work: Path, module, runs: int = 2) -> None:
    """An edition as a person runs it (``benchmarks/batch.py``'s ``measure_edition``: a new process,
    12 briefings, 2 workers) against one ``parley render briefing``, alternated so both see the same load."""
    print("\n3b. An edition against one render", flush=True)
    renders, warm, cold = [], [], []
    for index in range(runs):
        renders.append(render_cli("briefing", work / f"edition-render-{index}").seconds)
        warm.append(module.measure_edition(12, 2, "warm"))
    renders.append(render_cli("briefing", work / f"edition-render-{runs}").seconds)
    cold.append(module.measure_edition(12, 2, "cold"))
    one = _median(renders)
    seconds = _median([e["seconds"] for e in warm])
    firsts = [e["first_page"] for e in warm if e["first_page"] is not None]
    first = _median(firsts) if firsts else None
    bench.add(Figure("batch", "one render (parley render briefing), beside the editions", one, _seconds(one), note=_spread(renders)))
    bench.add(Figure("batch", "edition: 12 briefings on 2 workers (warm kernels)", seconds, _seconds(seconds),
                     note=_spread([e["seconds"] for e in warm]) + "; a new process, as `parley run` is started"))
    bench.add(Figure("batch", "12 briefings on 2 workers / one render", seconds / one, f"{seconds / one:.2f}x", 3.5, "<= 3.5x"))
    bench.add(Figure("batch", "time to the first published page / one render", first / one if first else None,
                     f"{first / one:.2f}x" if first else "no page", 1.0, "<= 1.0x", _spread(firsts) + " s" if firsts else ""))
    bench.add(Figure("batch", "12 on 2 workers / one render, a fresh kernel per page (PARLEY_KERNELS=cold)", cold[0]["seconds"] / one,
                     f"{cold[0]['seconds'] / one:.2f}x", note=f"information: {cold[0]['seconds']:.2f} s, first page {cold[0]['first_page']} s"))
    watched = module.measure_watch(2, "warm")
    bench.add(Figure("batch", "edition after a one-statement edit / full edition (parley run --watch)", watched["ratio"],
                     f"{watched['ratio']:.2f}x", 0.3, "<= 0.3x",
                     f"{watched['edited']:.1f} s from the save to the edition / {watched['full']:.1f} s from the start to the first; "
                     f"{watched['rendered']} of {watched['pages']} pages rendered again ({watched['edit']}); the first edition's warm workers"))
    changed = module.measure_changed(2, "warm")
    bench.add(Figure("batch", "the same after a new run (run_spec again: new workers)", changed["ratio"], f"{changed['ratio']:.2f}x",
                     note=f"information: {changed['edited']:.1f} s / {changed['full']:.1f} s; {len(changed['rendered'])} of "
                          f"{changed['pages']} pages rendered again; each run starts its workers and kernels"))


def _batch_times(result) -> tuple[float, float]:
    """(one by one, on 2 workers) seconds from a tuple, a mapping or an object with those fields."""
    if isinstance(result, (tuple, list)) and len(result) >= 2:
        return float(result[0]), float(result[1])
    data = result if isinstance(result, dict) else vars(result)
    for one, two in (("sequential", "parallel"), ("serial", "parallel"), ("sequential_seconds", "parallel_seconds"), ("one_by_one", "workers")):
        if one in data and two in data:
            return float(data[one]), float(data[two])
    raise ValueError(f"cannot read the one-by-one and parallel seconds from {result!r}")


# ---------------------------------------------------------------------------------------------
# 4. scale


def measure_scale(bench: Bench, work: Path, sizes: list[int], runs: int) -> None:
    print(f"\n4. Scale: synthetic dossiers ({SCALE_ACTORS} actors, {SCALE_ISSUES} issues, seed {SCALE_SEED})", flush=True)
    for n in sizes:
        target = SYNTH_ROOT / f"bench_n{n}"
        made = run([str(BIN / "parley"), "synth", "--statements", str(n), "--actors", str(SCALE_ACTORS), "--issues", str(SCALE_ISSUES),
                    "--seed", str(SCALE_SEED), "--out", str(target)])
        at_100k = n == 100_000
        label = f"N={n:,}"
        bench.add(Figure("scale", f"{label}: parley synth", made.seconds, _seconds(made.seconds)))
        tries = runs if n <= 100_000 else 1
        validations = [run([str(BIN / "parley"), "validate", str(target)]).seconds for _ in range(tries)]
        v = _median(validations)
        bench.add(Figure("scale", f"{label}: parley validate", v, _seconds(v), 10.0 if at_100k else None, "<= 10 s" if at_100k else "", _spread(validations)))
        renders, seeds = [], []
        for i in range(tries):  # alternate with seed renders, so both see the same load
            seeds.append(render_cli("briefing", work / f"scale-seed-{n}-{i}"))
            renders.append(render_cli("briefing", work / f"scale-{n}-{i}", dossier=target, watch=True))
        t, seed_t = _median([r.seconds for r in renders]), _median([r.seconds for r in seeds])
        cpu, seed_cpu = _median([r.cpu for r in renders]), _median([r.cpu for r in seeds])
        ratio = t / seed_t
        bench.add(Figure("scale", f"{label}: render briefing", t, _seconds(t), note=_spread([r.seconds for r in renders]) + f"; CPU {cpu:.2f} s"))
        bench.add(Figure("scale", f"{label}: render / seed render", ratio, f"{ratio:.2f}x", 2.0 if at_100k else None, "<= 2.0x" if at_100k else "",
                         f"seed renders alternated with these: {_spread([r.seconds for r in seeds])}; CPU ratio {cpu / seed_cpu:.2f}x"))
        size = (work / f"scale-{n}-0" / "briefing.html").stat().st_size
        bench.add(Figure("scale", f"{label}: briefing.html size", size, _size(size), 2 * MB if at_100k else None, "<= 2.00 MB" if at_100k else ""))
        kernel = max(r.peak_kernel for r in renders)
        parent = max(r.peak_parent for r in renders)
        bench.add(Figure("scale", f"{label}: peak memory, kernel", kernel, f"{kernel / GB:.2f} GB", 1.5 * GB if at_100k else None,
                         "<= 1.50 GB" if at_100k else "", f"parley render process: {parent / GB:.2f} GB"))


# ---------------------------------------------------------------------------------------------
# report


def _versions() -> str:
    from importlib.metadata import version

    names = ("pandas", "plotly", "papermill", "nbconvert", "ipykernel")
    return ", ".join(f"{n} {version(n)}" for n in names)


def write_doc(bench: Bench, args: argparse.Namespace, load: tuple[float, float, float]) -> None:
    lines = [
        "# Benchmarks",
        "",
        "Written by `make bench` (`benchmarks/run.py`; how it measures: `benchmarks/README.md`). Do not edit by hand:",
        "run `make bench` again. MB = 2^20 bytes, GB = 2^30 bytes. A goal missed by more than 10% fails the run.",
        "",
        f"Machine: {os.cpu_count()} CPU(s), {platform.machine()}, Python {platform.python_version()}; {_versions()}. "
        f"Load average when the run started: {load[0]:.2f}, {load[1]:.2f}, {load[2]:.2f} "
        f"({'busy: timings are noisy' if _busy(load[0]) else 'quiet'}). Runs per timing: {args.runs} "
        f"(scale series: {args.scale_runs}).",
        "",
        "| section | figure | measured | goal | status | note |",
        "|---|---|---|---|---|---|",
    ]
    order = {"floor": 0, "pages": 1, "batch": 2, "scale": 3}
    for f in sorted(bench.figures, key=lambda f: order.get(f.section, 9)):
        lines.append(f"| {f.section} | {f.name} | {f.shown} | {f.goal_shown} | {f.status} | {f.note} |")
    if bench.notes:
        lines += ["", "Notes:", ""] + [f"- {n}" for n in bench.notes]
    DOC.parent.mkdir(parents=True, exist_ok=True)
    DOC.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _busy(load: float) -> bool:
    """Other work keeps more than half of the CPUs busy."""
    return load > 0.5 * (os.cpu_count() or 1)


def _free_memory() -> int:
    import psutil

    return int(psutil.virtual_memory().available)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per timing of the seed render and the floor (median)")
    parser.add_argument("--scale-runs", type=int, default=3, help="runs per timing in the scale series (median)")
    parser.add_argument("--sizes", default="1000,10000,100000", help="statement counts of the scale series")
    parser.add_argument("--million", choices=("auto", "yes", "no"), default="auto",
                        help="add N=1,000,000 to the scale series (one run): auto does when 6 GB of memory are free")
    parser.add_argument("--quick", action="store_true", help="one run each, no batch, no doc written: a smoke test of the benchmark itself")
    parser.add_argument("--skip-batch", action="store_true", help="skip the 12-briefings figure")
    parser.add_argument("--skip-scale", action="store_true", help="skip the scale series")
    parser.add_argument("--no-doc", action="store_true", help=f"do not write {DOC.relative_to(ROOT)}")
    args = parser.parse_args(argv)
    if args.quick:
        args.runs = args.scale_runs = 1
        args.skip_batch = args.no_doc = True  # one-run numbers never replace the table
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    if args.million == "yes" or (args.million == "auto" and not args.quick and _free_memory() >= 6 * GB):
        sizes.append(1_000_000)
    elif args.million == "auto":
        print("N=1,000,000 left out (--quick, or less than 6 GB of memory free); --million yes forces it", flush=True)
    os.environ.setdefault("PYTHONDONTWRITEBYTECODE", "1")
    load = os.getloadavg()
    bench = Bench()
    print(f"parley benchmarks: {os.cpu_count()} CPU(s), load average {load[0]:.2f}; runs {args.runs}, scale runs {args.scale_runs}", flush=True)
    if _busy(load[0]):
        bench.note(f"the machine was busy when the run started (load average {load[0]:.2f} on {os.cpu_count()} CPUs): timings are noisy")
    with tempfile.TemporaryDirectory(prefix="parley-bench-") as tmp:
        work = Path(tmp)
        try:
            measure_floor(bench, work, args.runs)
            pages = measure_pages(bench, work, work / "seed-0" / "briefing.html")
            if not args.skip_scale:
                measure_scale(bench, work, sizes, args.scale_runs)
                pages.append((f"briefing.html at N={sizes[-1]:,}", work / f"scale-{sizes[-1]}-0" / "briefing.html"))
            measure_requests(bench, pages, work)
            if not args.skip_batch:
                measure_batch(bench, work)
        except RuntimeError as exc:
            print(f"\nbenchmark failed: {exc}", file=sys.stderr)
            return 2
    if not args.no_doc:
        write_doc(bench, args, load)
        print(f"\nwrote {DOC.relative_to(ROOT)}")
    failed = [f for f in bench.figures if f.status == "MISSED"]
    for f in failed:
        print(f"goal missed by more than 10%: {f.name}: {f.shown} (goal {f.goal_shown})", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
