"""Measure how the commands grow with the graph, against loading the same file into pyoxigraph.

Run: .venv/bin/python bench/bench_scale.py [--hpo PATH] [--graphs packaged,merged,synthetic] [--copies 10]

Three graphs: the packaged ontology; the ontology merged into the full HPO
(``kgtools merge hp.obo``, about 334,000 triples); and a synthetic graph of
``--copies`` copies of the merged one (about 3.3 million triples), each copy
but the first with its IRIs renamed (``HP_0000118`` becomes
``HP_0000118.2``, and the project's ``CCUT_`` becomes ``CCUT2_``, a foreign
ontology), written into a temporary directory (or ``--workdir``).

For each graph the floor is a new Python process that loads the file into an
in-memory ``pyoxigraph.Store`` (``bulk_load``). Each command runs as a new
process too: *cold* with an empty cache directory (the file is parsed, and
a detached process builds its persistent store), *warm* with that store,
once built. Wall time and peak memory (``ru_maxrss`` of that process,
read by a small launcher between this script and it) are printed with their
ratio to the floor of the same run, then the growth from the merged graph to
the synthetic one. The machine may be shared (its load average is printed
with each graph): the ratios within one run are what count.
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[1]
DEFAULT_HPO = REPOSITORY.parent / "shared" / "reference" / "hp.obo"

#: The commands measured, each as kgtools arguments (the input goes after them).
COMMANDS = {
    "lookup": ["lookup", "calciphylaxis"],
    "query": ["query", "forms-for-condition", "--param", "condition=renal failure", "--format", "csv"],
    "paths": ["paths", "renal failure", "calciphylaxis"],
    "explain": ["explain", "calciphylaxis"],
    "viz --focus": ["viz", "--focus", "calciphylaxis", "--depth", "2", "--format", "dot"],
    "validate": ["validate"],
}
FLOOR = ("import sys, pyoxigraph as ox; from kgtools.store import rdf_format; "
         "ox.Store().bulk_load(path=sys.argv[1], format=rdf_format(sys.argv[1]))")


#: Runs a command and reports its wall time and peak memory. It stands between this script and the command
#: because Linux carries a process's peak memory across exec: a command forked straight from this script,
#: which may hold a large graph, would report this script's peak as its own.
LAUNCHER = """
import os, subprocess, sys, time
start = time.perf_counter()
process = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL)
_, status, usage = os.wait4(process.pid, 0)
print(time.perf_counter() - start, usage.ru_maxrss, os.waitstatus_to_exitcode(status))
"""


def measure(args: list[str], env: dict | None = None) -> tuple[float, float]:
    """Run a process to its end: (wall seconds, peak resident memory in MB). A failure stops the benchmark."""
    launched = subprocess.run([sys.executable, "-c", LAUNCHER, *args], capture_output=True, text=True, env=env)
    seconds, kilobytes, code = launched.stdout.split()
    if int(code) not in (0, 1):
        sys.exit(f"failed: {' '.join(args)}\n{launched.stderr}")
    return float(seconds), int(kilobytes) / 1024


def wait_for_store(cache: Path, limit: float = 1800) -> None:
    """Wait (at most ``limit`` seconds) for the store the cold run's builder process writes in ``cache``."""
    stores = cache / "kgtools" / "stores"
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if stores.is_dir() and any(p.is_dir() and not p.name.startswith(".") for p in stores.iterdir()):
            return
        time.sleep(0.5)
    sys.exit(f"no persistent store appeared in {stores}")


def load_average() -> str:
    """The machine's load average over 1, 5 and 15 minutes: how much it was shared while measured."""
    return " / ".join(f"{load:.1f}" for load in os.getloadavg())


def kgtools(command: str, graph: Path | None) -> list[str]:
    return [sys.executable, "-m", "kgtools.cli", *COMMANDS[command], *(["-i", str(graph)] if graph else [])]


def make_merged(hpo: Path, workdir: Path) -> Path:
    merged = workdir / "merged.owl"
    if not merged.exists():
        print(f"merging the ontology into {hpo} ...", flush=True)
        subprocess.run([sys.executable, "-m", "kgtools.cli", "merge", str(hpo), "-o", str(merged)],
                       check=True, stdout=subprocess.DEVNULL)
    return merged


def make_synthetic(merged: Path, copies: int, workdir: Path) -> Path:
    """``copies`` copies of the merged graph as N-Triples, every copy after the first with renamed IRIs."""
    import pyoxigraph as ox

    synthetic = workdir / f"synthetic-{copies}x.nt"
    if synthetic.exists():
        return synthetic
    print(f"writing {copies} copies of the merged graph ...", flush=True)
    store = ox.Store()
    store.bulk_load(path=str(merged), format=ox.RdfFormat.RDF_XML)
    text = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph()).decode()
    iri = re.compile(r"<http://purl\.obolibrary\.org/obo/([A-Za-z]+)_([^>]*)>")
    blank = re.compile(r"(^|\s)_:(\S+)", re.MULTILINE)
    partial = synthetic.with_suffix(".tmp")
    with open(partial, "w", encoding="utf-8") as out:
        out.write(text)
        for k in range(2, copies + 1):
            renamed = iri.sub(lambda m: f"<http://purl.obolibrary.org/obo/{m[1]}{k if m[1] == 'CCUT' else ''}_{m[2]}"
                                        f"{'' if m[1] == 'CCUT' else f'.{k}'}>", text)
            out.write(blank.sub(lambda m: f"{m[1]}_:{m[2]}c{k}", renamed))
    partial.rename(synthetic)
    return synthetic


def triples(graph: Path) -> int:
    import pyoxigraph as ox

    from kgtools.store import rdf_format

    store = ox.Store()
    store.bulk_load(path=str(graph), format=rdf_format(graph))
    return len(store)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hpo", type=Path, default=DEFAULT_HPO, help="the full HPO (hp.obo)")
    parser.add_argument("--graphs", default="packaged,merged,synthetic")
    parser.add_argument("--copies", type=int, default=10)
    parser.add_argument("--workdir", type=Path, help="where the merged and synthetic graphs are kept (default: a temporary directory)")
    parser.add_argument("--commands", default=",".join(COMMANDS))
    options = parser.parse_args()
    wanted = options.graphs.split(",")
    commands = options.commands.split(",")
    workdir = options.workdir or Path(tempfile.mkdtemp(prefix="kgtools-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)

    from kgtools.resources import ontology_path

    graphs: dict[str, Path] = {}
    if "packaged" in wanted:
        graphs["packaged"] = ontology_path()
    if "merged" in wanted or "synthetic" in wanted:
        merged = make_merged(options.hpo, workdir)
        if "merged" in wanted:
            graphs["merged"] = merged
        if "synthetic" in wanted:
            graphs[f"synthetic {options.copies}x"] = make_synthetic(merged, options.copies, workdir)

    rows, times = [], {}
    for name, graph in graphs.items():
        floor_s, floor_mb = measure([sys.executable, "-c", FLOOR, str(graph)])
        print(f"\n{name}: {triples(graph):,} triples, {graph.stat().st_size / 2**20:.1f} MB; "
              f"floor (pyoxigraph load) {floor_s:.2f} s, {floor_mb:.0f} MB; load average {load_average()}", flush=True)
        for command in commands:
            cache = Path(tempfile.mkdtemp(prefix="kgtools-cache-", dir=workdir))
            env = dict(os.environ, XDG_CACHE_HOME=str(cache))
            cold_s, cold_mb = measure(kgtools(command, graph if name != "packaged" else None), env)
            if name != "packaged":
                wait_for_store(cache)
            warm_s, warm_mb = measure(kgtools(command, graph if name != "packaged" else None), env)
            shutil.rmtree(cache)
            times[name, command] = (cold_s, warm_s)
            row = (name, command, cold_s, cold_s / floor_s, warm_s, warm_s / floor_s, max(cold_mb, warm_mb),
                   max(cold_mb, warm_mb) / floor_mb)
            rows.append(row)
            print(f"  {command:<12} cold {cold_s:6.2f} s ({row[3]:4.1f}x)  warm {warm_s:6.2f} s ({row[5]:4.1f}x)  "
                  f"peak {row[6]:5.0f} MB ({row[7]:3.1f}x)", flush=True)

    print(f"\nload average at the end {load_average()}")
    print("\n| graph | command | cold | × load | warm | × load | peak memory | × load |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, command, cold_s, cold_x, warm_s, warm_x, mb, mb_x in rows:
        print(f"| {name} | `{command}` | {cold_s:.2f} s | {cold_x:.1f}× | {warm_s:.2f} s | {warm_x:.1f}× | {mb:,.0f} MB | {mb_x:.1f}× |")
    big = [n for n in graphs if n.startswith("synthetic")]
    if "merged" in graphs and big:
        print(f"\ngrowth from merged to {big[0]} (time ratio, cold / warm):")
        for command in commands:
            (mc, mw), (sc, sw) = times["merged", command], times[big[0], command]
            print(f"  {command:<12} {sc / mc:5.1f}x / {sw / mw:5.1f}x")
    if not options.workdir:
        shutil.rmtree(workdir)


if __name__ == "__main__":
    main()
