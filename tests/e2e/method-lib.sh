# Shared by the 3NN run-methodology tests: sourced after lib.sh.

# A data directory like the installed one with tests/workloads added, so
# the test workloads go through the real catalog, probe and orchestrator.
# The probe source is the same file, so its cached build is reused.
test_datadir() {
	d=$FTMATRIX_TEST_TMP/data
	if [ ! -d "$d" ]; then
		mkdir -p "$d.new/probes/workloads"
		for f in "$FTMATRIX_ROOT"/probes/*; do
			[ "$(basename "$f")" = workloads ] || ln -s "$f" "$d.new/probes/"
		done
		for f in "$FTMATRIX_ROOT"/probes/workloads/* \
		    "$FTMATRIX_ROOT"/tests/workloads/*.py; do
			ln -s "$f" "$d.new/probes/workloads/"
		done
		for f in reports scripts matrices; do
			ln -s "$FTMATRIX_ROOT/$f" "$d.new/$f"
		done
		mv "$d.new" "$d"
	fi
	echo "$d"
}

# The two 3.13.15 source builds every test here compares, then whatever
# the caller appends (workloads, engines, ...).
matrix_head() {
	cat <<-YAML
	name: $1
	baseline: "3.13"
	interpreters:
	  - id: "3.13"
	    provider: source
	    source: "debian:3.13.15"
	  - id: "3.13t"
	    provider: source
	    source: "debian:3.13.15"
	    free_threaded: true
	YAML
}

# Waits for a file a test workload creates; the bound only keeps a broken
# run from hanging the suite, nothing is timed.
wait_for() {
	i=0
	while [ ! -e "$1" ]; do
		i=$((i + 1))
		[ $i -lt 6000 ] || fail "gave up waiting for $1"
		sleep 0.1
	done
}
