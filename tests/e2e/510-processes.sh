# Child processes: probes see no descriptor but stdin, stdout and stderr;
# a probe's leftovers in its process group die with it; a timeout or Ctrl-C
# takes the whole group; no zombies; `interpreters` interrupted takes its
# child along.
. tests/e2e/lib.sh

tmp=$FTMATRIX_TEST_TMP/510
marks=$tmp/marks
data=$tmp/data
rm -rf "$tmp"
mkdir -p "$marks" "$data"

# A data directory with three test workloads beside the real ones.
cp -R probes "$data/probes"
ln -s "$FTMATRIX_ROOT/reports" "$data/reports"
ln -s "$FTMATRIX_ROOT/scripts" "$data/scripts"
cat >"$data/probes/workloads/test_fds.py" <<'PY'
"""Test only: writes down the descriptors the probe process has open."""
import os

DESCRIPTION = "test only: lists the probe's open file descriptors"
GROUP = "test"
UNIT = "iterations"


def setup(nthreads):
    fds = []
    for fd in sorted(os.listdir("/proc/self/fd"), key=int):
        try:
            target = os.readlink("/proc/self/fd/" + fd)
        except OSError:
            continue  # the descriptor listdir itself used
        fds.append(fd + " " + target)
    path = os.path.join(os.environ["FTMATRIX_TEST_OUT"], "fds-%d" % os.getpid())
    with open(path, "w") as f:
        f.write("\n".join(fds) + "\n")


def run(n):
    return n
PY
cat >"$data/probes/workloads/test_leaver.py" <<'PY'
"""Test only: leaves a process behind that holds the probe's stdout."""
import os
import subprocess

DESCRIPTION = "test only: starts a long sleep and returns at once"
GROUP = "test"
UNIT = "iterations"


def setup(nthreads):
    p = subprocess.Popen(["sleep", "3001"])
    path = os.path.join(os.environ["FTMATRIX_TEST_OUT"], "leaver-%d" % os.getpid())
    with open(path, "w") as f:
        f.write("%d\n" % p.pid)


def run(n):
    return n
PY
cat >"$data/probes/workloads/test_sleeper.py" <<'PY'
"""Test only: sleeps, with a child of its own, until it is killed."""
import os
import subprocess
import time

DESCRIPTION = "test only: sleeps for an hour with a child process"
GROUP = "test"
UNIT = "seconds"


def setup(nthreads):
    p = subprocess.Popen(["sleep", "3002"])
    path = os.path.join(os.environ["FTMATRIX_TEST_OUT"], "sleeper-%d" % os.getpid())
    with open(path + ".tmp", "w") as f:
        f.write("%d\n" % p.pid)
    os.rename(path + ".tmp", path)


def run(n):
    time.sleep(3600)
PY
export FTMATRIX_DATADIR=$data

# alive PID: the process exists and is not a zombie
alive() {
	[ -e "/proc/$1" ] && ! grep -q '^[0-9]* (.*) Z ' "/proc/$1/stat" 2>/dev/null
}

# wait_for GLOB: until a file matches, at most 120 s (a probe build may run)
wait_for() {
	i=0
	while ! ls $1 >/dev/null 2>&1; do
		i=$((i + 1))
		[ "$i" -le 1200 ] || fail "nothing matched $1 after 120 s"
		sleep 0.1
	done
}

# no_zombies PID: none of PID's children is a zombie
no_zombies() {
	z=$(ps -o pid=,stat= --ppid "$1" | awk '$2 ~ /^Z/ { print $1 }')
	[ -z "$z" ] || fail "zombie children of $1: $z"
}

matrix() {
	cat <<YAML
name: procs
interpreters:
  - id: "3.13"
    provider: source
    source: "debian:3.13.15"
    env: {FTMATRIX_TEST_OUT: "$marks"}
workloads: [$1]
threads: [1]
repetitions: 1
samples: 1
warmup: 0
timeout: $2
YAML
}

# 1. Descriptors, leftovers and a timeout, in one run started with extra
# descriptors open (as a shell or an IDE might leave them).
matrix "test_fds, test_leaver, test_sleeper" 20 >"$tmp/m1.yaml"
exec 7<"$tmp/m1.yaml" 8>"$tmp/leak"
"$FTMATRIX" run "$tmp/m1.yaml" -o "$tmp/out1" >"$tmp/out1.log" 2>&1 &
pid=$!
exec 7<&- 8>&-
wait_for "$marks/sleeper-*"
no_zombies "$pid"
rc=0
wait "$pid" || rc=$?
[ "$rc" -eq 0 ] || { cat "$tmp/out1.log" >&2; fail "run exited $rc"; }
r=$tmp/out1/results.json

# every probe process had 0, 1 and 2, and besides them only the pipe the
# probe keeps its own stdout on: nothing of ours or of our parent's
ls "$marks"/fds-* >/dev/null 2>&1 || fail "test_fds wrote nothing"
for f in "$marks"/fds-*; do
	got=$(cut -d' ' -f1 "$f" | head -3 | tr '\n' ' ')
	[ "$got" = "0 1 2 " ] || fail "a probe lacks stdin, stdout or stderr: $(cat "$f")"
	extra=$(sed 1,3d "$f" | grep -v '^[0-9]* pipe:' || true)
	[ -z "$extra" ] || fail "a probe inherited descriptors: $extra"
	grep -q -e "$tmp" -e '/results.json' -e 'socket:' "$f" &&
		fail "a probe inherited descriptors: $(cat "$f")"
done
check_json "$r" '[.cells[] | select(.workload == "test_fds")] | length > 0 and all(.status == "ok")'

# a probe that leaves a process holding its stdout is done when it exits,
# and what it left is killed
check_json "$r" '[.cells[] | select(.workload == "test_leaver")] | length > 0 and all(.status == "ok")'
for f in "$marks"/leaver-*; do
	p=$(cat "$f")
	! alive "$p" || fail "test_leaver's child $p outlived its probe"
done

# a timeout kills the probe and its child
check_json "$r" '[.cells[] | select(.workload == "test_sleeper")] | length > 0 and all(.status == "timeout")'
for f in "$marks"/sleeper-*; do
	probe=${f##*-}
	! alive "$probe" || fail "timed-out probe $probe still runs"
	! alive "$(cat "$f")" || fail "timed-out probe's child $(cat "$f") still runs"
done

# 2. Ctrl-C in the middle of a cell: the probe and its child die, the run
# stops with 130 and keeps what it had.
rm -f "$marks"/*
matrix "test_sleeper" 600 >"$tmp/m2.yaml"
"$FTMATRIX" run "$tmp/m2.yaml" -o "$tmp/out2" >"$tmp/out2.log" 2>&1 &
pid=$!
wait_for "$marks/sleeper-*"
kill -INT "$pid"
rc=0
wait "$pid" || rc=$?
[ "$rc" -eq 130 ] || { cat "$tmp/out2.log" >&2; fail "interrupted run exited $rc, expected 130"; }
grep -q "interrupted" "$tmp/out2.log" || fail "run did not say it was interrupted"
grep -q "resume with: ftmatrix run" "$tmp/out2.log" || fail "run did not say how to resume"
for f in "$marks"/sleeper-*; do
	probe=${f##*-}
	! alive "$probe" || fail "interrupted probe $probe still runs"
	! alive "$(cat "$f")" || fail "interrupted probe's child $(cat "$f") still runs"
done
check_json "$tmp/out2/results.json" '.complete == false and (.cells | length) == 0'

# 3. Ctrl-C while a command waits for a child: the child dies too, though
# it is in its own process group out of the terminal's reach. `doctor`
# dies of the signal (after killing the group); `interpreters` stops its
# child, shows what it has and exits 130. (A script's background job starts
# with SIGINT ignored, and ftmatrix leaves an ignored signal ignored, so
# the test gives it the default a terminal would.)
cat >"$tmp/slow" <<SH
#!/bin/sh
echo \$\$ >"$marks/slow.tmp"
mv "$marks/slow.tmp" "$marks/slow"
exec sleep 3003
SH
chmod +x "$tmp/slow"
cat >"$tmp/m3.yaml" <<YAML
interpreters:
  - {id: slow, provider: path, path: "$tmp/slow"}
workloads: [cpu_loop]
YAML

# interrupt WANT CMD...: starts CMD, waits for the slow child, sends SIGINT,
# and checks the exit status and that the child is gone.
interrupt() {
	want=$1
	shift
	rm -f "$marks/slow"
	env --default-signal=INT "$@" >"$tmp/out3.log" 2>&1 &
	pid=$!
	wait_for "$marks/slow"
	kill -INT "$pid"
	rc=0
	wait "$pid" || rc=$?
	[ "$rc" -eq "$want" ] || { cat "$tmp/out3.log" >&2; fail "interrupted $*: exit status $rc, expected $want"; }
	child=$(cat "$marks/slow")
	i=0
	while alive "$child" && [ "$i" -lt 50 ]; do
		i=$((i + 1))
		sleep 0.1
	done
	! alive "$child" || fail "interrupted $*, but its child $child still runs"
}
interrupt 130 "$FTMATRIX" interpreters "$tmp/m3.yaml"
interrupt 130 env CC="$tmp/slow" "$FTMATRIX" doctor
echo ok
