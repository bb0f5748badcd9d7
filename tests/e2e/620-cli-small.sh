# The small things: help CMD and CMD --help agree, a bad option gets the
# error and the synopsis (not the whole help), misspellings get "did you
# mean", -V, the man page and bash completion (installed by make install),
# a bare name for the path provider is looked up on PATH, and a missing
# pyenv version lists the installed ones.
. tests/e2e/lib.sh

tmp=$FTMATRIX_TEST_TMP/620
mkdir -p "$tmp"

for c in run report compare interpreters validate publish list doctor; do
	"$FTMATRIX" help "$c" >"$tmp/help" || fail "help $c"
	"$FTMATRIX" "$c" --help >"$tmp/dash" || fail "$c --help"
	cmp -s "$tmp/help" "$tmp/dash" || fail "help $c differs from $c --help"
	head -1 "$tmp/help" | grep -q "^usage: ftmatrix $c" || fail "help $c: $(head -1 "$tmp/help")"
done
"$FTMATRIX" help >"$tmp/out" || fail "help"
grep -q "^  validate " "$tmp/out" || fail "help lists no commands"

# a bad option: the error, the synopsis, where the rest is
rc=0
"$FTMATRIX" report --fromat csv x.json >"$tmp/out" 2>"$tmp/err" || rc=$?
[ "$rc" -eq 2 ] || fail "bad option: exit status $rc"
[ ! -s "$tmp/out" ] || fail "bad option: printed on stdout"
cat >"$tmp/want" <<'TXT'
ftmatrix report: unknown option --fromat (did you mean --format?)
usage: ftmatrix report RESULTS.json [-o DIR] [--format LIST]
                       [--theme light|dark] [--hidpi] [--force]
See 'ftmatrix help report'.
TXT
cmp -s "$tmp/want" "$tmp/err" || { diff "$tmp/want" "$tmp/err" >&2; fail "bad option output"; }
for c in run compare interpreters validate publish list; do
	rc=0
	"$FTMATRIX" "$c" --no-such-option >"$tmp/out" 2>"$tmp/err" || rc=$?
	[ "$rc" -eq 2 ] || fail "$c --no-such-option: exit status $rc"
	head -1 "$tmp/err" | grep -Fxq "ftmatrix $c: unknown option --no-such-option" ||
		fail "$c: $(head -1 "$tmp/err")"
	[ "$(wc -l <"$tmp/err")" -le 8 ] || fail "$c: the whole help for a bad option"
done
rc=0
"$FTMATRIX" run -o >"$tmp/out" 2>"$tmp/err" || rc=$?
[ "$rc" -eq 2 ] && head -1 "$tmp/err" | grep -Fxq "ftmatrix run: option -o needs a value" ||
	fail "missing value: $(cat "$tmp/err")"

# misspelt commands, workloads and keys
rc=0
"$FTMATRIX" rnu >"$tmp/out" 2>"$tmp/err" || rc=$?
[ "$rc" -eq 2 ] && head -1 "$tmp/err" | grep -Fxq 'ftmatrix: unknown command "rnu" (did you mean "run"?)' ||
	fail "misspelt command: $(cat "$tmp/err")"
[ "$(wc -l <"$tmp/err")" -le 3 ] || fail "misspelt command: the whole help"
"$FTMATRIX" valdiate 2>&1 | grep -q 'did you mean "validate"' || fail "valdiate"
rc=0
"$FTMATRIX" help nosuch >"$tmp/out" 2>"$tmp/err" || rc=$?
[ "$rc" -eq 2 ] || fail "help nosuch: exit status $rc"
cat >"$tmp/m.yaml" <<'YAML'
interpreters:
  - {id: a, provider: path, path: python3}
workloads: [int_arithmetic, cpu_lop]
thread: [1]
YAML
rc=0
(cd "$tmp" && "$FTMATRIX" validate m.yaml) >"$tmp/out" 2>"$tmp/err" || rc=$?
[ "$rc" -eq 1 ] || fail "misspelt matrix: exit status $rc"
for line in 'ftmatrix: m.yaml:3:13: unknown workload "int_arithmetic" (did you mean "int_arith"?)' \
	'ftmatrix: m.yaml:3:29: unknown workload "cpu_lop" (did you mean "cpu_loop"?)' \
	'ftmatrix: m.yaml:4:1: unknown key "thread" (did you mean "threads"?)'; do
	grep -Fxq "$line" "$tmp/err" || { cat "$tmp/err" >&2; fail "missing: $line"; }
done

# -V
for v in -V --version; do
	"$FTMATRIX" "$v" | grep -Eqx 'ftmatrix [0-9]+\.[0-9]+\.[0-9]+' || fail "$v"
done

# the man page renders without warnings and names every command
if command -v man >/dev/null; then
	MANWIDTH=80 man --warnings -l docs/ftmatrix.1 >"$tmp/man" 2>"$tmp/manerr" || fail "man"
	[ ! -s "$tmp/manerr" ] || fail "man warnings: $(cat "$tmp/manerr")"
	for c in run report compare interpreters validate list publish doctor; do
		grep -q "^       $c" "$tmp/man" || fail "man page: no $c"
	done
fi
# make install puts the man page and the completion in place
make -n install DESTDIR="$tmp/inst" PREFIX=/usr >"$tmp/make" 2>&1 || fail "make -n install"
grep -q "docs/ftmatrix.1 $tmp/inst/usr/share/man/man1/ftmatrix.1" "$tmp/make" || fail "man page not installed"
grep -A1 "completion/ftmatrix.bash" "$tmp/make" | grep -q "$tmp/inst/usr/share/bash-completion/completions/ftmatrix" ||
	fail "completion not installed"

# bash completion: commands, options, workload names
cat >"$tmp/comp.sh" <<'SH'
shopt -s extglob
. completion/ftmatrix.bash
comp() { COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _ftmatrix; echo "${COMPREPLY[*]}"; }
comp "$FTMATRIX" r
comp "$FTMATRIX" run --re
comp "$FTMATRIX" run -w int_
comp "$FTMATRIX" help comp
SH
bash "$tmp/comp.sh" >"$tmp/comp" || fail "completion script"
printf '%s\n' "run report" "--rebuild --repetitions --retry-failed" "int_arith" "compare" >"$tmp/want"
cmp -s "$tmp/want" "$tmp/comp" || { diff "$tmp/want" "$tmp/comp" >&2; fail "completion"; }

# path: a bare name is looked up on PATH; pyenv: the installed versions
mkdir -p "$tmp/bin" "$tmp/pyenv/versions/3.9.18" "$tmp/pyenv/versions/3.12.1" "$tmp/pyenv/versions/3.10.13"
cat >"$tmp/i.yaml" <<'YAML'
interpreters:
  - {id: nope, provider: path, path: nosuchpython-ftm, optional: true}
  - {id: pe, provider: pyenv, version: "3.99.1", optional: true}
workloads: [cpu_loop]
YAML
PYENV_ROOT=$tmp/pyenv PATH=$tmp/bin:/usr/bin:/bin "$FTMATRIX" interpreters --json "$tmp/i.yaml" >"$tmp/i.json" 2>"$tmp/err" || true
check_json "$tmp/i.json" '.[0].error == "no nosuchpython-ftm on PATH"'
check_json "$tmp/i.json" --arg r "$tmp/pyenv" '.[1].error | endswith("installed in \($r)/versions: 3.9.18, 3.10.13, 3.12.1")'
# and one that is there is used
cat >"$tmp/s.yaml" <<'YAML'
interpreters:
  - {id: ft, provider: source, source: "debian:3.13.15", free_threaded: true}
workloads: [cpu_loop]
YAML
"$FTMATRIX" interpreters --json "$tmp/s.yaml" >"$tmp/s.json" 2>"$tmp/err" || { cat "$tmp/err" >&2; fail "source build"; }
ln -s "$(jq -r '.[0].identity.executable' "$tmp/s.json")" "$tmp/bin/ftm-python"
cat >"$tmp/b.yaml" <<'YAML'
interpreters:
  - {id: bare, provider: path, path: ftm-python}
workloads: [cpu_loop]
YAML
PATH=$tmp/bin:/usr/bin:/bin "$FTMATRIX" interpreters --json "$tmp/b.yaml" >"$tmp/b.json" 2>"$tmp/err" ||
	{ cat "$tmp/err" >&2; fail "a bare name on PATH"; }
check_json "$tmp/b.json" '.[0].available and .[0].identity.gil_disabled_build == true'
exit 0
