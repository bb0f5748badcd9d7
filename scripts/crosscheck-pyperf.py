"""The pyperf side of scripts/crosscheck, run by each interpreter's venv.

  crosscheck-pyperf.py driver WORKLOADS_DIR NAME LOAD UNITS OUT.py
      writes a pyperf script that times NAME's run(UNITS) (or the callable
      its thread_run(0, 1) returns), per unit. LOAD import: the script
      imports the module, as the probe does; LOAD main: the script *is* the
      workload's text followed by the timing code, so the interpreter
      compiles it at start-up as the __main__ script, as the probe's
      load: main and `python script.py` do.
  crosscheck-pyperf.py median RESULT.json
      prints the benchmark's median in ns per unit, and its value count.
"""
import sys

TAIL = '''
import sys as _crosscheck_sys
import pyperf as _crosscheck_pyperf


def _crosscheck_time(loops, fn, n):
    t0 = _crosscheck_pyperf.perf_counter()
    for _ in range(loops):
        fn(n)
    return _crosscheck_pyperf.perf_counter() - t0


def _crosscheck_main(w):
    w.PARAMS = {}
    if hasattr(w, "setup"):
        w.setup(1)
    fn = w.thread_run(0, 1) if hasattr(w, "thread_run") else w.run
    runner = _crosscheck_pyperf.Runner()
    runner.metadata["ftmatrix_load"] = %(load)r
    runner.bench_time_func(%(name)r, _crosscheck_time, fn, %(units)d,
                           inner_loops=%(units)d)


_crosscheck_main(%(module)s)
'''


def driver(workloads_dir, name, load, units, out):
    units = int(units)
    if load == "main":
        with open(f"{workloads_dir}/{name}.py", encoding="utf-8") as f:
            head = f.read()
        module = '_crosscheck_sys.modules["__main__"]'
    elif load == "import":
        # nothing written into the workloads directory
        head = (f"import sys\nsys.dont_write_bytecode = True\n"
                f"sys.path.insert(0, {workloads_dir!r})\nimport {name}\n")
        module = name
    else:
        sys.exit(f"crosscheck-pyperf.py: load must be import or main, not {load!r}")
    key = name if load == "import" else f"{name}@main"
    with open(out, "w", encoding="utf-8") as f:
        f.write(head.rstrip("\n") + "\n")
        f.write(TAIL % {"load": load, "name": key, "units": units,
                        "module": module})


def median(path):
    import pyperf

    bench = pyperf.BenchmarkSuite.load(path).get_benchmarks()[0]
    print(f"{bench.median() * 1e9:.6g} {len(bench.get_values())}")


if __name__ == "__main__":
    if len(sys.argv) == 7 and sys.argv[1] == "driver":
        driver(*sys.argv[2:])
    elif len(sys.argv) == 3 and sys.argv[1] == "median":
        median(sys.argv[2])
    else:
        sys.exit(__doc__)
