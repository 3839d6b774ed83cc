#!/usr/bin/env python3
"""run.py: the benchmark runner (`make bench`, tools/bench.sh, docs/bench.md).

    bench/run.py [--quick] [--reps N] [--json FILE] [--no-plots] [FILTER...]

For every guest program of every interpreter (the table WORKLOADS) it runs
each variant (the table VARIANTS: the plain interpreter, the JIT VM
bin/<lang>-jit when it exists, and for Brainfuck the computed-goto
interpreter, `beef` and the program translated to C by bench/bf2c.c and
compiled with gcc -O2) on the same workload, REPS times, checking every
output against the known answer.  It reports the median CPU time (user +
sys of the child), the spread ((max - min) / median), the median wall
time, the ratio plain/variant from the same run, and for JIT VMs the
compile statistics their timed runs print under TS_LOG=units,summary
(units, residual operations, compile time, guards, machine code bytes,
guest bytecodes compiled).  Repetitions of a variant stop once it has used BUDGET CPU
seconds, so a slow peer (beef on mandelbrot) runs once.

Each run writes one JSON file: bench/results/DATE-COMMIT.json for a full
run (the committed history), build/bench/results/ for --quick and filtered
runs.  Then bench/plot.py draws the SVG plots and the dashboard
build/bench/index.html.  A FILTER word keeps the rows whose
"lang/program" or "variant-binary/program" contains it (`tlc`,
`mandelbrot`, `bf-cgoto/factor`, `beef`).
"""
import hashlib, json, os, platform, re, shutil, statistics, subprocess, sys
import tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
os.chdir(ROOT)
BF = os.environ.get("BF_PROGRAMS", "../shared/bench/bf")
OUT = os.environ.get("BENCH_OUT", "build/bench")  # plots, dashboard, scratch
BIN = os.environ.get("BENCH_BIN", "bin")  # where the interpreters and JIT VMs are


def wrapmul(n):
    """n! with 64-bit two's-complement wrapping, as the guest computes it."""
    p = 1
    for i in range(2, n + 1):
        p = (p * i) % 2**64
    return p - 2**64 if p >= 2**63 else p


def fib(n):
    a, b = 0, 1
    for _ in range(n):
        a, b = b, a + b
    return a


def factorline(n):
    """factor.b's output for n: "n: p1 p2 ...\\n"."""
    ps, m, d = [], n, 2
    while d * d <= m:
        while m % d == 0:
            ps.append(d)
            m //= d
        d += 1
    if m > 1:
        ps.append(m)
    return ("%d: %s\n" % (n, " ".join(map(str, ps)))).encode()


# language, program, (full args, quick args: None skips it in --quick),
# (full stdin, quick stdin) or None, check(output bytes, args) -> bool
WORKLOADS = [
    ("tlr", "interpreters/tlr/programs/square.tlr", ("150000000", "10000000"), None,
     lambda out, a: out == b"%d\n" % (int(a) ** 2)),
    ("tl", "interpreters/tl/programs/factorial.tl", ("30000000", "2000000"), None,
     lambda out, a: out == b"%d\n" % wrapmul(int(a))),
    ("tl", "interpreters/tl/programs/fib.tl", ("34", "27"), None,
     lambda out, a: out == b"%d\n" % fib(int(a))),
    ("tlf", "interpreters/tlf/programs/factorial.tlf", ("30000000", "2000000"), None,
     lambda out, a: out == b"%d\n" % wrapmul(int(a))),
    ("tlf", "interpreters/tlf/programs/fib.tlf", ("34", "27"), None,
     lambda out, a: out == b"%d\n" % fib(int(a))),
    ("tlc", "interpreters/tlc/programs/factorial.tlc", ("1000000", "100000"), None,
     lambda out, a: out == b"%d\n" % wrapmul(int(a))),
    ("tlc", "interpreters/tlc/programs/counter.tlc", ("1000000", "100000"), None,
     lambda out, a: out == b"%d\n%d\n" % (int(a), int(a) * (int(a) + 1) // 2)),
    ("tlc", "interpreters/tlc/programs/poly.tlc", ("500000", "50000"), None,
     lambda out, a: out == b"%d\n" % sum(2 * i if i % 2 else i * i
                                         for i in range(1, int(a) + 1))),
    ("bf", BF + "/mandelbrot.b", ("", None), None,
     lambda out, a: hashlib.md5(out).hexdigest() == "5024283fa65866ddd347b877798e84d8"),
    ("bf", BF + "/hanoi.b", ("", None), None,
     lambda out, a: hashlib.md5(out).hexdigest() == "013caafcc396feaf9b6d8347d3c32f54"),
    ("bf", BF + "/factor.b", ("", ""), ("179424691\n", "9876543\n"),
     lambda out, a: out in (factorline(179424691), factorline(9876543))),
]


def bf2c(prog):
    """Translate and compile a Brainfuck program (cached by content);
    return the binary's path."""
    tool = OUT + "/bf2c"
    if not os.path.exists(tool) or os.path.getmtime(tool) < os.path.getmtime("bench/bf2c.c"):
        subprocess.check_call(["gcc", "-O2", "-o", tool, "bench/bf2c.c"])
    with open(prog, "rb") as f:
        h = hashlib.md5(f.read() + open("bench/bf2c.c", "rb").read()).hexdigest()[:12]
    exe = "%s/bf2c-%s-%s" % (OUT, os.path.splitext(os.path.basename(prog))[0], h)
    if not os.path.exists(exe):
        src = exe + ".c"
        with open(src, "w") as f:
            subprocess.check_call([tool, prog], stdout=f)
        # -w: gcc's range warnings on the unrolled tape moves are noise
        subprocess.check_call(["gcc", "-O2", "-w", "-o", exe, src])
    return exe


# name, languages it applies to, binary label for filters,
# available(lang) -> bool, command(lang, program, args) -> argv
VARIANTS = [
    ("plain", None, lambda l: l, lambda l: os.access("%s/%s" % (BIN, l), os.X_OK),
     lambda l, p, a: ["%s/%s" % (BIN, l), p] + a),
    ("cgoto", ("bf",), lambda l: l + "-cgoto", lambda l: os.access(BIN + "/bf-cgoto", os.X_OK),
     lambda l, p, a: [BIN + "/bf-cgoto", p] + a),
    ("jit", None, lambda l: l + "-jit", lambda l: os.access("%s/%s-jit" % (BIN, l), os.X_OK),
     lambda l, p, a: ["%s/%s-jit" % (BIN, l), p] + a),
    ("beef", ("bf",), lambda l: "beef", lambda l: shutil.which("beef") is not None,
     lambda l, p, a: ["beef", p] + a),
    ("gcc", ("bf",), lambda l: "bf2c", lambda l: shutil.which("gcc") is not None,
     lambda l, p, a: [bf2c(p)] + a),
]


def usage():
    sys.stderr.write("usage: bench/run.py [--quick] [--reps N] [--json FILE] "
                     "[--no-plots] [FILTER...]\n")
    sys.exit(2)


def parse(argv):
    opts = {"quick": False, "reps": None, "json": None, "filters": [], "plots": True}
    i = 0
    while i < len(argv):
        a = argv[i]
        if a == "--quick":
            opts["quick"] = True
        elif a == "--no-plots":
            opts["plots"] = False
        elif a in ("--reps", "--json") and i + 1 < len(argv):
            opts[a[2:]] = argv[i + 1]
            i += 1
        elif a.startswith("-"):
            usage()
        else:
            opts["filters"].append(a)
        i += 1
    try:
        opts["reps"] = int(opts["reps"] or 3)
    except ValueError:
        usage()
    if opts["reps"] < 1:
        usage()
    return opts


def run_once(cmd, stdin, env=None):
    """Run cmd once; return (stdout, stderr, cpu s, wall s) from the child's
    own rusage.  Raise RuntimeError if it fails."""
    with tempfile.TemporaryFile() as fin, tempfile.TemporaryFile() as fout, \
         tempfile.TemporaryFile() as ferr:
        fin.write((stdin or "").encode())
        fin.seek(0)
        t0 = time.perf_counter()
        p = subprocess.Popen(cmd, stdin=fin, stdout=fout, stderr=ferr, env=env)
        _, status, ru = os.wait4(p.pid, 0)
        wall = time.perf_counter() - t0
        code = os.waitstatus_to_exitcode(status)
        fout.seek(0)
        ferr.seek(0)
        out, err = fout.read(), ferr.read()
    if code != 0:
        raise RuntimeError("exit %d: %s" % (code, err.decode(errors="replace").strip()[-300:]))
    return out, err, ru.ru_utime + ru.ru_stime, wall


BUDGET = 20.0  # CPU seconds a variant may spend on repetitions beyond the first


def measure(cmd, stdin, reps, check, arg, env=None):
    """Median CPU, spread %, median wall, the CPU times and the first run's
    stderr of up to reps checked runs: repetitions stop once the variant
    has used BUDGET CPU seconds (a slow peer runs once)."""
    cpus, walls, err0 = [], [], None
    for _ in range(reps):
        if cpus and sum(cpus) + cpus[0] > BUDGET:
            break
        out, err, cpu, wall = run_once(cmd, stdin, env)
        if not check(out, arg):
            raise RuntimeError("wrong output: %r" % out[:60])
        if err0 is None:
            err0 = err
        cpus.append(cpu)
        walls.append(wall)
    med = statistics.median(cpus)
    spread = (max(cpus) - min(cpus)) / med * 100 if med > 0 else 0.0
    return med, spread, statistics.median(walls), cpus, err0


UNIT = re.compile(r"^ts: (unit|bridge)(?: \(leave\))? (\S+): (\d+) ops \(([^)]*)\), ([\d.]+) ms(.*)$")
SUMMARY = re.compile(r"^ts: summary: .* (\d+) bytecodes \((\d+) keys\).* (\d+) direct calls, (\d+) evictions")


def jitstats(err):
    """Compile statistics from a JIT VM's stderr under TS_LOG=units,summary
    (the timed runs set it: one line per compiled unit, docs/timeshift.md
    §6, and a summary at exit): a dict, or None when the VM printed none.
    Guards are exit stubs plus flexswitches ("N guards"), code size the
    machine code bytes ("N bytes"); bytecodes are the passes of the global
    merge point compiled (guest instructions compiled, with repeats)."""
    st = {"units": 0, "bridges": 0, "ops": 0, "compile_ms": 0.0,
          "code_bytes": None, "guards": None, "bytecodes": None,
          "guards_per_bytecode": None, "evictions": None, "direct_calls": None}
    seen = False
    for line in err.decode(errors="replace").splitlines():
        m = SUMMARY.match(line)
        if m:
            st["bytecodes"] = int(m.group(1))
            st["direct_calls"] = int(m.group(3))
            st["evictions"] = int(m.group(4))
            continue
        m = UNIT.match(line)
        if not m:
            continue
        seen = True
        st["units" if m.group(1) == "unit" else "bridges"] += 1
        st["ops"] += int(m.group(3))
        st["compile_ms"] += float(m.group(5))
        g = re.search(r"(\d+) guards", m.group(6))
        if g:
            st["guards"] = (st["guards"] or 0) + int(g.group(1))
        b = re.search(r"(\d+) bytes", m.group(6))
        if b:
            st["code_bytes"] = (st["code_bytes"] or 0) + int(b.group(1))
    if not seen:
        return None
    st["compile_ms"] = round(st["compile_ms"], 3)
    if st["bytecodes"] and st["guards"] is not None:
        st["guards_per_bytecode"] = round(st["guards"] / st["bytecodes"], 2)
    return st


def guestsize(lang, prog):
    """Number of guest instructions in the program: Brainfuck commands, or
    assembly lines holding an instruction (labels and comments aside)."""
    text = open(prog, errors="replace").read()
    if lang == "bf":
        return sum(text.count(c) for c in "<>+-.,[]")
    n = 0
    for line in text.splitlines():
        line = re.split(r";|#|//", line)[0]
        line = re.sub(r"^\s*\w+:", "", line).strip()
        if line and not line.startswith(".") and re.match(r"[A-Z_]+\b", line):
            n += 1
    return n


def machine():
    model = ""
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"nproc": os.cpu_count(), "model": model,
            "kernel": platform.release(), "system": platform.system(),
            "python": platform.python_version()}


def gitinfo():
    def git(*a):
        try:
            return subprocess.check_output(["git"] + list(a), stderr=subprocess.DEVNULL).decode().strip()
        except (subprocess.CalledProcessError, OSError):
            return ""
    return {"commit": git("rev-parse", "--short=12", "HEAD") or "unknown",
            "dirty": bool(git("status", "--porcelain", "--untracked-files=no"))}


def selected(filters, lang, prog, label):
    if not filters:
        return True
    names = ("%s/%s" % (lang, prog), "%s/%s" % (label, prog))
    return any(f in n for f in filters for n in names)


def main():
    opts = parse(sys.argv[1:])
    k = 1 if opts["quick"] else 0
    os.makedirs(OUT, exist_ok=True)
    jobs = []
    for lang, prog, args, stdin, check in WORKLOADS:
        pname = os.path.splitext(os.path.basename(prog))[0]
        arg = args[k]
        if arg is None:
            continue  # too long for --quick
        for vname, langs, label, avail, mk in VARIANTS:
            if langs and lang not in langs:
                continue
            if selected(opts["filters"], lang, pname, label(lang)):
                jobs.append((lang, prog, pname, arg, stdin[k] if stdin else None,
                             check, vname, label(lang), avail, mk))
    load = os.getloadavg()[0]
    g = gitinfo()
    print("# %d repetition(s), %s workloads, commit %s%s; load average %.1f"
          % (opts["reps"], "quick" if opts["quick"] else "full", g["commit"],
             " (dirty)" if g["dirty"] else "", load))
    print("%-20s %-11s %-8s %9s %7s %9s %8s  %s" % ("benchmark", "workload", "variant",
          "cpu(med)", "spread", "wall(med)", "plain/x", "jit: units ops compile bytes guards"))
    rows, failed, plain = [], 0, {}
    t0 = time.time()
    for n, (lang, prog, pname, arg, inp, check, vname, label, avail, mk) in enumerate(jobs):
        name = "%s/%s" % (lang, pname)
        work = arg or (inp.strip() if inp else "-")
        row = {"benchmark": name, "lang": lang, "program": pname, "workload": work,
               "variant": vname, "binary": label, "reps": opts["reps"],
               "cpu_median_s": None, "spread_pct": None, "wall_median_s": None,
               "cpu_s": [], "runs": 0, "ratio": None, "jit": None, "status": "ok"}
        sys.stderr.write("\r[%d/%d %4.0fs] %-20s %-6s" % (n + 1, len(jobs), time.time() - t0, name, vname))
        sys.stderr.flush()
        if not avail(lang):
            row["status"] = "missing"
            rows.append(row)
            sys.stderr.write("\r\033[K")
            print("%-20s %-11s %-8s %9s %7s %9s %8s" % (name, work[:11], vname, "", "", "", "n/a")
                  + "  (no %s)" % label)
            continue
        try:
            cmd = mk(lang, prog, [arg] if arg else [])
            env = dict(os.environ, TS_LOG="units,summary") if vname == "jit" else None
            cpu, spread, wall, cpus, err = measure(cmd, inp, opts["reps"], check, arg, env)
        except (RuntimeError, OSError, subprocess.CalledProcessError) as e:
            sys.stderr.write("\r\033[K")
            print("%-20s %-11s %-8s FAILED: %s" % (name, work[:11], vname, e))
            row["status"] = "failed: %s" % e
            rows.append(row)
            failed += 1
            continue
        row.update(cpu_median_s=round(cpu, 4), spread_pct=round(spread, 2),
                   wall_median_s=round(wall, 4), cpu_s=[round(c, 4) for c in cpus],
                   runs=len(cpus))
        if vname == "plain":
            plain[name] = cpu
        if name in plain and cpu > 0:
            row["ratio"] = round(plain[name] / cpu, 3)
        js = ""
        if vname == "jit":
            st = jitstats(err)
            if st:
                size = guestsize(lang, prog)
                st["guest_insns"] = size
                st["ops_per_insn"] = round(st["ops"] / size, 2) if size else None
                row["jit"] = st
                js = "%d+%d %d %.1fms" % (st["units"], st["bridges"], st["ops"], st["compile_ms"])
                if st["code_bytes"] is not None:
                    js += " %dB %dg" % (st["code_bytes"], st["guards"] or 0)
        rows.append(row)
        sys.stderr.write("\r\033[K")
        print("%-20s %-11s %-8s %7.3f s %6.1f%% %7.3f s %8s  %s" % (
            name, work[:11], vname, cpu, spread, wall,
            "%.2f" % row["ratio"] if row["ratio"] is not None else "n/a", js))
        sys.stdout.flush()
    sys.stderr.write("\r\033[K")
    stamp = time.strftime("%Y%m%d-%H%M%S", time.gmtime())
    result = {"date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
              "commit": g["commit"], "dirty": g["dirty"], "machine": machine(),
              "load_average": load, "quick": opts["quick"], "reps": opts["reps"],
              "filters": opts["filters"], "elapsed_s": round(time.time() - t0, 1),
              "rows": rows}
    if opts["json"]:
        path = opts["json"]
    elif opts["quick"] or opts["filters"]:
        path = "%s/results/%s-%s.json" % (OUT, stamp, g["commit"])
    else:
        path = "bench/results/%s-%s.json" % (stamp, g["commit"])
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    with open(path, "w") as f:
        json.dump(result, f, indent=1)
        f.write("\n")
    print("# %d rows in %.0f s, %d failed; results in %s" % (len(rows), time.time() - t0, failed, path))
    if opts["plots"]:
        r = subprocess.call([sys.executable, "bench/plot.py", path])
        if r:
            failed += 1
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
