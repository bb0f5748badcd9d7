# Shared by the 2NN probe and catalog tests: sourced after lib.sh.

# A matrix on the two 3.13.15 source builds (GIL and free-threaded), named
# $1, with the workloads and settings the caller appends.
probe_matrix() {
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

# Runs a matrix file into $2 and fails with its stderr when run fails.
probe_run() {
	"$FTMATRIX" run -q "$1" -o "$2" >"$2.out" 2>"$2.err" ||
		{ tail -30 "$2.err" >&2; fail "ftmatrix run $1"; }
	[ -f "$2/results.json" ] || fail "$2: no results.json"
}

# Every cell of the results file, as one JSON object per line, for loops.
cells() {
	jq -c '.cells[]' "$1"
}
