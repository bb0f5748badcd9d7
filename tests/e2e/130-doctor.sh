# ftmatrix doctor: every check has its line, and what needs fixing says
# how. /sys and /proc are read under FTMATRIX_SYSROOT, so frequency
# scaling, turbo and load can be shown to it.
. tests/e2e/lib.sh
. tests/lib/prov.sh

t=$FTMATRIX_TEST_TMP/130
mkdir -p "$t"

# this machine: nothing blocks measuring (the real uv, pinned)
real_uv_env
"$FTMATRIX" doctor >"$t/here.out" 2>"$t/here.err" || { cat "$t/here.out"; fail "doctor failed here"; }
for check in cc data cache make tar gnuplot libraries cpython uv "uv python" cores governor turbo load; do
	grep -Eq "^  (ok|info|warn|fail) +$check  " "$t/here.out" || { cat "$t/here.out"; fail "no $check line"; }
done
grep -Eq '^  ok +cc +cc .*[0-9]+\.[0-9]+' "$t/here.out" || fail "compiler version"
grep -Eq "^  ok +uv +uv $(sed -n 's/^version //p' scripts/uv-pin) .*\($REAL_UV\)\$" "$t/here.out" ||
	{ cat "$t/here.out"; fail "uv version"; }
grep -Fq "  info  uv python  installs into $UV_PYTHON_INSTALL_DIR" "$t/here.out" || fail "uv python dir"
grep -Eq '^  ok +cores +[0-9]+ online' "$t/here.out" || fail "cores"
tail -1 "$t/here.out" | grep -Eq '^nothing blocks measuring' || fail "last line"

# a machine that needs tuning: each problem with its fix
sys=$t/noisy/sys/devices/system/cpu
mkdir -p "$sys/cpu0/cpufreq" "$sys/cpu1/cpufreq" "$sys/intel_pstate" "$t/noisy/proc"
echo powersave >"$sys/cpu0/cpufreq/scaling_governor"
echo performance >"$sys/cpu1/cpufreq/scaling_governor"
echo 0 >"$sys/intel_pstate/no_turbo"
echo "64.00 32.00 16.00 3/500 4242" >"$t/noisy/proc/loadavg"
FTMATRIX_SYSROOT=$t/noisy "$FTMATRIX" doctor >"$t/noisy.out" 2>&1 || fail "warnings are not failures"
grep -Fq "  warn  governor   powersave (1 of 2 CPUs), performance (1 of 2 CPUs): clocks change under load; sudo cpupower frequency-set -g performance" "$t/noisy.out" ||
	{ cat "$t/noisy.out"; fail "governor"; }
grep -Fq "  warn  turbo      on: " "$t/noisy.out" || fail "turbo"
grep -Fq "echo 1 | sudo tee /sys/devices/system/cpu/intel_pstate/no_turbo" "$t/noisy.out" || fail "turbo fix"
grep -Eq "^  warn  load       64\.00 on [0-9]+ cores: other work will add noise" "$t/noisy.out" || fail "load"
tail -1 "$t/noisy.out" | grep -Eq '^nothing blocks measuring; [0-9]+ warnings above' || fail "summary"

# a high load average with CPUs that the others leave idle is no noise
# (tasks waiting on I/O, or the last minute's work): the doctor measures
# what other processes use over a pause and says which it is
mkdir -p "$t/io/proc"
echo "64.00 32.00 16.00 3/500 4242" >"$t/io/proc/loadavg"
ln -s /proc/stat "$t/io/proc/stat"
FTMATRIX_SYSROOT=$t/io "$FTMATRIX" doctor >"$t/io.out" 2>&1 || fail "doctor with a real /proc/stat"
line=$(grep -E "^  (info|warn)  load " "$t/io.out") || fail "no load line: $(cat "$t/io.out")"
share=$(printf "%s\n" "$line" | sed -n 's/.*other processes used \([0-9]*\)% of the CPUs over 0\.5 s.*/\1/p')
[ -n "$share" ] || fail "the load line does not say what others used: $line"
if [ "$share" -le 10 ]; then
	printf "%s\n" "$line" | grep -Eq "^  info  load       64\.00 on [0-9]+ cores, yet other processes used $share% of the CPUs over 0\.5 s: tasks waiting on I/O" ||
		fail "idle CPUs under a high load average: $line"
else
	printf "%s\n" "$line" | grep -q "^  warn  load       64.00 on [0-9]* cores, other processes used $share% of the CPUs" ||
		fail "busy CPUs: $line"
fi

# a tuned one (AMD-style boost switch)
sys=$t/quiet/sys/devices/system/cpu
mkdir -p "$sys/cpu0/cpufreq" "$sys/cpu1/cpufreq" "$t/quiet/proc"
echo performance >"$sys/cpu0/cpufreq/scaling_governor"
echo performance >"$sys/cpu1/cpufreq/scaling_governor"
mkdir -p "$sys/cpufreq"
echo 0 >"$sys/cpufreq/boost"
echo "0.00 0.00 0.00 1/100 42" >"$t/quiet/proc/loadavg"
FTMATRIX_SYSROOT=$t/quiet "$FTMATRIX" doctor >"$t/quiet.out" 2>&1 || fail "quiet machine"
grep -Fq "  ok    governor   performance" "$t/quiet.out" || fail "performance governor"
grep -Fq "  ok    turbo      off (cpufreq boost)" "$t/quiet.out" || fail "boost off"
grep -Fq "  ok    load       0.00" "$t/quiet.out" || fail "low load"
echo 1 >"$sys/cpufreq/boost"
FTMATRIX_SYSROOT=$t/quiet "$FTMATRIX" doctor >"$t/boost.out" 2>&1 || true
grep -Fq "echo 0 | sudo tee /sys/devices/system/cpu/cpufreq/boost" "$t/boost.out" || fail "boost fix"

# no compiler: a failure, exit 1
if CC=$t/no-such-cc "$FTMATRIX" doctor >"$t/nocc.out" 2>&1; then
	fail "doctor passed without a compiler"
fi
grep -Fq "  fail  cc         $t/no-such-cc not found: probes cannot be compiled; apt-get install gcc (or set CC)" "$t/nocc.out" ||
	{ cat "$t/nocc.out"; fail "no compiler"; }
tail -1 "$t/nocc.out" | grep -Fq "1 problem blocks measuring; fix what the fail lines say" || fail "fail summary"

# headers a CPython build needs, missing (a compiler that cannot find two)
cat >"$t/cc" <<'EOF'
#!/bin/sh
for a in "$@"; do
	case $a in *.c) if grep -Eq '<(zlib|ffi)\.h>' "$a"; then echo "$a:1: fatal error: no such header" >&2; exit 1; fi ;; esac
done
exec cc "$@"
EOF
chmod +x "$t/cc"
CC=$t/cc "$FTMATRIX" doctor >"$t/hdr.out" 2>&1 || true
grep -Fq "  warn  cpython    CPython built from source would lack zlib, ctypes; apt-get install zlib1g-dev libffi-dev" "$t/hdr.out" ||
	{ cat "$t/hdr.out"; fail "missing headers"; }

# no gnuplot and no uv on PATH: warnings that say what to install
mkdir -p "$t/bin"
for tool in cc gcc as ld make tar xz gzip pkg-config uname; do
	p=$(command -v "$tool") && ln -sf "$p" "$t/bin/$tool"
done
unset FTMATRIX_UV
# (nor the pinned uv in the cache)
PATH=$t/bin FTMATRIX_CACHE=$t/empty-cache "$FTMATRIX" doctor >"$t/bare.out" 2>&1 ||
	{ cat "$t/bare.out"; fail "bare PATH"; }
grep -Fq "  warn  gnuplot    not found: reports will have no charts; apt-get install gnuplot-nox" "$t/bare.out" ||
	{ cat "$t/bare.out"; fail "no gnuplot"; }
grep -Fq "  warn  uv         not found: matrices with provider uv (such as matrices/default.yaml) cannot run; install it (curl -LsSf https://astral.sh/uv/install.sh | sh" "$t/bare.out" ||
	fail "no uv"
echo ok
