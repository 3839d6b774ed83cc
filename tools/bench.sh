#!/bin/sh
# bench.sh: time each guest program on each plain interpreter (`make bench`).
#
#   tools/bench.sh [--quick] [--reps N] [--json FILE] [FILTER...]
#
# One line per (interpreter, program): the median CPU time (user + sys of
# the child) over the repetitions, the spread ((max - min) / median) and
# the median wall time.  Every run's output is checked
# against the known answer, so a broken build cannot post a time.  FILTER
# words keep the rows whose "interp/program" name contains one of them
# (e.g. `tlc`, `mandelbrot`, `bf-cgoto/factor`).  --quick runs small
# workloads once (a smoke test, under a minute); --json also writes the
# rows to FILE.  The machine is shared, so compare ratios within one run.
#
# The workloads (full / --quick) are in the table WORKLOADS below; the
# columns to measure (today: the plain interpreter) in VARIANTS, where a
# JIT build will add its own.
cd "$(dirname "$0")/.." || exit 2
sh codegen/x86/bench/run.sh # x86 backend: compile cost per emitted instruction
exec python3 - "$@" <<'EOF'
import hashlib, json, os, statistics, subprocess, sys, tempfile, time

BF = os.environ.get("BF_PROGRAMS", "../shared/bench/bf")

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

# interpreter binaries, program, (full args, quick args), stdin text or
# None, check(output bytes, args) -> bool
WORKLOADS = [
    ("tlr", "interpreters/tlr/programs/square.tlr", ("150000000", "10000000"), None,
     lambda out, a: out == b"%d\n" % (int(a) ** 2)),
    ("tl", "interpreters/tl/programs/factorial.tl", ("30000000", "2000000"), None,
     lambda out, a: out == b"%d\n" % wrapmul(int(a))),
    ("tl", "interpreters/tl/programs/fib.tl", ("34", "27"), None,
     lambda out, a: out == b"%d\n" % fib(int(a))),
    ("tlc", "interpreters/tlc/programs/factorial.tlc", ("1000000", "100000"), None,
     lambda out, a: out == b"%d\n" % wrapmul(int(a))),
    ("tlc", "interpreters/tlc/programs/counter.tlc", ("1000000", "100000"), None,
     lambda out, a: out == b"%d\n%d\n" % (int(a), int(a) * (int(a) + 1) // 2)),
    ("tlc", "interpreters/tlc/programs/poly.tlc", ("500000", "50000"), None,
     lambda out, a: out == b"%d\n" % sum(2 * i if i % 2 else i * i
                                         for i in range(1, int(a) + 1))),
]
for bf in ("bf", "bf-cgoto"):
    WORKLOADS += [
        (bf, BF + "/mandelbrot.b", ("", None), None,
         lambda out, a: hashlib.md5(out).hexdigest() == "5024283fa65866ddd347b877798e84d8"),
        (bf, BF + "/hanoi.b", ("", None), None,
         lambda out, a: hashlib.md5(out).hexdigest() == "013caafcc396feaf9b6d8347d3c32f54"),
        (bf, BF + "/factor.b", ("", ""), ("179424691\n", "123456789\n"),
         lambda out, a: out in (b"179424691: 179424691\n", b"123456789: 3 3 3607 3803\n")),
    ]

# name -> command for (binary, program, args)
VARIANTS = [
    ("plain", lambda binary, prog, args: ["bin/" + binary, prog] + args),
]

def usage():
    sys.stderr.write("usage: tools/bench.sh [--quick] [--reps N] [--json FILE] [FILTER...]\n")
    sys.exit(2)

def parse(argv):
    opts = {"quick": False, "reps": None, "json": None, "filters": []}
    i = 0
    while i < len(argv):
        a = argv[i]
        if a == "--quick":
            opts["quick"] = True
        elif a in ("--reps", "--json") and i + 1 < len(argv):
            opts[a[2:]] = argv[i + 1]
            i += 1
        elif a.startswith("-"):
            usage()
        else:
            opts["filters"].append(a)
        i += 1
    try:
        opts["reps"] = int(opts["reps"] or (1 if opts["quick"] else 3))
    except ValueError:
        usage()
    if opts["reps"] < 1:
        usage()
    return opts

def run_once(cmd, stdin):
    """Run cmd once; return (output, cpu s, wall s) from the child's own
    rusage.  Raise RuntimeError if it fails."""
    with tempfile.TemporaryFile() as fin, tempfile.TemporaryFile() as fout, \
         tempfile.TemporaryFile() as ferr:
        fin.write((stdin or "").encode())
        fin.seek(0)
        t0 = time.perf_counter()
        p = subprocess.Popen(cmd, stdin=fin, stdout=fout, stderr=ferr)
        _, status, ru = os.wait4(p.pid, 0)
        wall = time.perf_counter() - t0
        p.returncode = os.waitstatus_to_exitcode(status)
        fout.seek(0)
        ferr.seek(0)
        out, err = fout.read(), ferr.read()
    if p.returncode != 0:
        raise RuntimeError("exit %d: %s" % (p.returncode, err.decode(errors="replace").strip()))
    return out, ru.ru_utime + ru.ru_stime, wall

def measure(cmd, stdin, reps):
    """Output, median CPU, spread %, median wall of reps runs."""
    cpus, walls = [], []
    out = None
    for _ in range(reps):
        out, cpu, wall = run_once(cmd, stdin)
        cpus.append(cpu)
        walls.append(wall)
    med = statistics.median(cpus)
    spread = (max(cpus) - min(cpus)) / med * 100 if med > 0 else 0.0
    return out, med, spread, statistics.median(walls)

def main():
    opts = parse(sys.argv[1:])
    k = 1 if opts["quick"] else 0
    rows = []
    load = os.getloadavg()[0]
    print("# plain interpreters, %d repetition(s), %s workloads; load average %.1f"
          % (opts["reps"], "quick" if opts["quick"] else "full", load))
    print("%-24s %-12s %-8s %10s %8s %10s" %
          ("benchmark", "workload", "variant", "cpu(med)", "spread", "wall(med)"))
    failed = 0
    for binary, prog, args, stdin, check in WORKLOADS:
        name = "%s/%s" % (binary, os.path.splitext(os.path.basename(prog))[0])
        if opts["filters"] and not any(f in name for f in opts["filters"]):
            continue
        arg = args[k]
        if arg is None:
            continue  # too long for --quick
        inp = stdin[k] if stdin else None
        argv = [arg] if arg else []
        work = arg or (inp.strip() if inp else "-")
        for variant, mkcmd in VARIANTS:
            cmd = mkcmd(binary, prog, argv)
            try:
                out, cpu, spread, wall = measure(cmd, inp, opts["reps"])
                if not check(out, arg):
                    raise RuntimeError("wrong output: %r" % out[:60])
            except (RuntimeError, OSError) as e:
                print("%-24s %-12s %-8s FAILED: %s" % (name, work, variant, e))
                failed += 1
                continue
            print("%-24s %-12s %-8s %8.3f s %7.1f%% %8.3f s" %
                  (name, work, variant, cpu, spread, wall))
            sys.stdout.flush()
            rows.append({"benchmark": name, "workload": work, "variant": variant,
                         "reps": opts["reps"], "cpu_median_s": round(cpu, 4),
                         "spread_pct": round(spread, 2), "wall_median_s": round(wall, 4)})
    if opts["json"]:
        with open(opts["json"], "w") as f:
            json.dump({"load_average": load, "rows": rows}, f, indent=1)
    return 1 if failed else 0

sys.exit(main())
EOF
