#!/usr/bin/env python3
"""plot.py: SVG plots (gnuplot) and the dashboard of benchmark results.

    bench/plot.py RESULT.json

Writes into build/bench/: speedup.svg (plain/variant per program: the JIT,
and for Brainfuck the peers), times.svg (median CPU time per program and
variant, log scale), history.svg (plain/JIT ratio of each program across
the recorded full runs bench/results/*.json, plus RESULT when it is not one
of them), the gnuplot scripts and data beside them, and index.html, the
dashboard (plots and the table of RESULT), openable from disk.  For a full
run the plots are also copied to bench/plots/ (README shows one).
"""
import glob, html, json, os, shutil, subprocess, sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
os.chdir(ROOT)
OUT = os.environ.get("BENCH_OUT", "build/bench")  # plots, dashboard, scratch
ORDER = ["plain", "cgoto", "jit", "beef", "gcc"]
COLOR = {"plain": "#7f7f7f", "cgoto": "#9467bd", "jit": "#2ca02c", "beef": "#1f77b4",
         "gcc": "#ff7f0e"}
TITLE = {"plain": "plain interpreter", "cgoto": "computed goto", "jit": "JIT VM",
         "beef": "beef", "gcc": "bf2c + gcc -O2"}

HEAD = """set terminal svg size 900,420 dynamic enhanced font 'sans,11' background rgb 'white'
set output '%s'
set datafile separator '\\t'
set datafile missing '?'
set style data histogram
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set boxwidth 0.9
set key top left
set grid ytics
set xtics rotate by -30 noenhanced
set bmargin 6
"""


def benches(rows):
    seen = []
    for r in rows:
        if r["benchmark"] not in seen:
            seen.append(r["benchmark"])
    return seen


def table(rows, field):
    """{benchmark: {variant: value}} of one row field (None when absent)."""
    t = {}
    for r in rows:
        t.setdefault(r["benchmark"], {})[r["variant"]] = r.get(field)
    return t


def writedat(path, names, cols, t):
    with open(path, "w") as f:
        f.write("benchmark\t" + "\t".join(TITLE[c] for c in cols) + "\n")
        for n in names:
            vals = [t.get(n, {}).get(c) for c in cols]
            f.write(n + "\t" + "\t".join("?" if v is None else repr(v) for v in vals) + "\n")


def gnuplot(name, script):
    path = "%s/%s.gp" % (OUT, name)
    with open(path, "w") as f:
        f.write(script)
    r = subprocess.run(["gnuplot", path], capture_output=True, text=True)
    if r.returncode != 0:
        sys.stderr.write("plot.py: gnuplot %s failed:\n%s" % (path, r.stderr))
        return False
    return True


def plotbars(name, res, field, cols, ylabel, title, extra=""):
    rows = [r for r in res["rows"] if r["status"] == "ok"]
    names = benches(res["rows"])
    t = table(rows, field)
    cols = [c for c in cols if any(c in t.get(n, {}) for n in names)]
    if not cols:
        cols = ["plain"]
    dat = "%s/%s.dat" % (OUT, name)
    writedat(dat, names, cols, t)
    plots = ", ".join("'%s' using %d:xtic(1) title columnheader(%d) lc rgb '%s'"
                      % (dat, i + 2, i + 2, COLOR[c]) for i, c in enumerate(cols))
    s = HEAD % ("%s/%s.svg" % (OUT, name))
    s += "set title '%s' noenhanced\nset ylabel '%s'\nset logscale y\n%s" % (title, ylabel, extra)
    s += "plot " + plots + "\n"
    return gnuplot(name, s)


def history(res, path):
    """Runs in date order: the committed full runs and this one."""
    runs = []
    for p in sorted(glob.glob("bench/results/*.json")):
        try:
            with open(p) as f:
                runs.append((p, json.load(f)))
        except (OSError, ValueError):
            continue
    if not any(os.path.abspath(p) == os.path.abspath(path) for p, _ in runs):
        runs.append((path, res))
    runs.sort(key=lambda pr: pr[1].get("date", ""))
    return runs


def plothistory(res, path):
    runs = [r for _, r in history(res, path)]
    names = []
    for r in runs:
        for x in r["rows"]:
            if x["variant"] == "jit" and x["ratio"] is not None and x["benchmark"] not in names:
                names.append(x["benchmark"])
    dat = "%s/history.dat" % OUT
    with open(dat, "w") as f:
        f.write("run\t" + "\t".join(names) + "\n")
        for i, r in enumerate(runs):
            t = table([x for x in r["rows"] if x["status"] == "ok"], "ratio")
            label = "%s %s%s" % (r.get("date", "")[:16].replace("T", " "), r.get("commit", "")[:7],
                                 " quick" if r.get("quick") else "")
            vals = [t.get(n, {}).get("jit") for n in names]
            f.write(label + "\t" + "\t".join("?" if v is None else repr(v) for v in vals) + "\n")
    s = HEAD % ("%s/history.svg" % OUT)
    if not any(x["ratio"] is not None for r in runs for x in r["rows"] if x["variant"] == "jit"):
        s += "set title 'plain / JIT ratio across recorded runs'\nset xrange [0:1]\n"
        s += "set yrange [0:1]\nunset xtics\nunset ytics\n"
        s += "set label 'no JIT VM measured in any recorded run' at 0.5, 0.5 center\n"
        s += "plot 2 notitle\n"
        return gnuplot("history", s), len(runs)
    s += "set style data linespoints\nset title 'plain / JIT ratio across recorded runs'\n"
    s += "set ylabel 'speedup (plain CPU / JIT CPU)'\nset logscale y\nset key outside right\n"
    s += "set offsets 0.3, 0.3, 0, 0\n"
    s += "plot " + ", ".join("'%s' using %d:xtic(1) title columnheader(%d) lw 2 pt 7"
                             % (dat, i + 2, i + 2) for i in range(len(names))) + "\n"
    return gnuplot("history", s), len(runs)


def cell(v, fmt="%s"):
    return "" if v is None else html.escape(fmt % v)


def dashboard(res, path, nruns):
    m = res.get("machine", {})
    out = ["<!DOCTYPE html>", "<html><head><meta charset='utf-8'>",
           "<title>tsgen benchmarks</title><style>",
           "body{font-family:sans-serif;margin:2em;max-width:1000px}",
           "table{border-collapse:collapse;font-size:90%}td,th{border:1px solid #bbb;padding:2px 6px}",
           "td.n{text-align:right}tr.missing td,tr.failed td{color:#999}img{max-width:100%}",
           "</style></head><body>", "<h1>tsgen benchmarks</h1>",
           "<p>Run of %s, commit <code>%s</code>%s; %s workloads, %d repetition(s); "
           "load average %.1f. Machine: %s, %s cores, Linux %s. Result file: "
           "<a href='%s'>%s</a>. History: %d run(s).</p>" % (
               html.escape(res.get("date", "")), html.escape(res.get("commit", "")),
               " (uncommitted changes)" if res.get("dirty") else "",
               "quick" if res.get("quick") else "full", res.get("reps", 0),
               res.get("load_average", 0), html.escape(m.get("model", "")), m.get("nproc", "?"),
               html.escape(m.get("kernel", "")), html.escape(os.path.relpath(path, OUT)),
               html.escape(path), nruns),
           "<h2>Speedup</h2><img src='speedup.svg' alt='speedup per program'>",
           "<h2>Time per program</h2><img src='times.svg' alt='time per program'>",
           "<h2>History</h2><img src='history.svg' alt='history of the JIT ratio'>",
           "<h2>Latest results</h2><table><tr><th>benchmark</th><th>workload</th>"
           "<th>variant</th><th>CPU median (s)</th><th>spread %</th><th>wall median (s)</th>"
           "<th>plain/variant</th><th>units+bridges</th><th>residual ops</th>"
           "<th>ops per guest insn</th><th>guards</th><th>compile (ms)</th><th>code bytes</th></tr>"]
    for r in res["rows"]:
        j = r.get("jit") or {}
        st = r["status"]
        cls = "ok" if st == "ok" else ("missing" if st == "missing" else "failed")
        out.append("<tr class='%s'><td>%s</td><td>%s</td><td>%s</td><td class=n>%s</td>"
                   "<td class=n>%s</td><td class=n>%s</td><td class=n>%s</td><td class=n>%s</td>"
                   "<td class=n>%s</td><td class=n>%s</td><td class=n>%s</td><td class=n>%s</td>"
                   "<td class=n>%s</td></tr>" % (
                       cls, html.escape(r["benchmark"]), html.escape(r["workload"]),
                       html.escape(r["variant"]) + ("" if st == "ok" else " (%s)" % html.escape(st)),
                       cell(r["cpu_median_s"], "%.3f"), cell(r["spread_pct"], "%.1f"),
                       cell(r["wall_median_s"], "%.3f"),
                       "n/a" if r["ratio"] is None else "%.2f" % r["ratio"],
                       "%d+%d" % (j["units"], j["bridges"]) if j else "",
                       cell(j.get("ops")), cell(j.get("ops_per_insn")), cell(j.get("guards")),
                       cell(j.get("compile_ms"), "%.1f"), cell(j.get("code_bytes"))))
    out += ["</table>", "<p>CPU time is user + system time of the child process; the spread "
            "is (max - min) / median over the repetitions. Ratios are plain interpreter CPU time "
            "over the variant's, from the same run. See docs/bench.md.</p>", "</body></html>"]
    with open(OUT + "/index.html", "w") as f:
        f.write("\n".join(out) + "\n")


def runstable(runs):
    """Append the list of recorded runs to the dashboard."""
    out = ["<h2>Recorded runs</h2><table><tr><th>date</th><th>commit</th><th>workloads</th>"
           "<th>load</th><th>elapsed (s)</th><th>JIT ratios (geometric mean)</th>"
           "<th>file</th></tr>"]
    for p, r in reversed(runs):
        ratios = [x["ratio"] for x in r["rows"] if x["variant"] == "jit" and x.get("ratio")]
        gm = ""
        if ratios:
            prod = 1.0
            for x in ratios:
                prod *= x
            gm = "%.2f over %d programs" % (prod ** (1.0 / len(ratios)), len(ratios))
        out.append("<tr><td>%s</td><td><code>%s</code>%s</td><td>%s</td><td>%.1f</td><td>%s</td>"
                   "<td>%s</td><td><a href='%s'>%s</a></td></tr>" % (
                       html.escape(r.get("date", "")), html.escape(r.get("commit", "")),
                       " (dirty)" if r.get("dirty") else "", "quick" if r.get("quick") else "full",
                       r.get("load_average", 0), cell(r.get("elapsed_s")), gm,
                       html.escape(os.path.relpath(p, OUT)), html.escape(os.path.basename(p))))
    out.append("</table>")
    with open(OUT + "/index.html") as f:
        page = f.read()
    with open(OUT + "/index.html", "w") as f:
        f.write(page.replace("</body></html>", "\n".join(out) + "\n</body></html>"))


def main():
    if len(sys.argv) != 2:
        sys.stderr.write("usage: bench/plot.py RESULT.json\n")
        return 2
    path = sys.argv[1]
    with open(path) as f:
        res = json.load(f)
    os.makedirs(OUT, exist_ok=True)
    if not shutil.which("gnuplot"):
        sys.stderr.write("plot.py: gnuplot is missing (tools/deps.sh installs gnuplot-nox)\n")
        return 1
    ok = plotbars("speedup", res, "ratio", [c for c in ORDER if c != "plain"],
                  "plain CPU time / variant CPU time", "Speedup over the plain interpreter",
                  "set arrow from graph 0, first 1 to graph 1, first 1 nohead dt 2\n")
    ok &= plotbars("times", res, "cpu_median_s", ORDER, "median CPU time (s)",
                   "Time per program, with the peers")
    hok, nruns = plothistory(res, path)
    ok &= hok
    dashboard(res, path, nruns)
    runstable(history(res, path))
    if not res.get("quick") and not res.get("filters") and path.startswith("bench/results/"):
        os.makedirs("bench/plots", exist_ok=True)
        for p in ("speedup", "times", "history"):
            shutil.copy("%s/%s.svg" % (OUT, p), "bench/plots/%s.svg" % p)
    print("# plots and dashboard in %s/index.html" % OUT)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
