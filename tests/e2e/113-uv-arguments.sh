# A matrix's uv request is a value, never an option: uv gets "--" before it
# on every command (a request starting with "-" is refused at validation:
# tests/bad-matrices/uv-request-option.yaml).
. tests/e2e/lib.sh

t=$FTMATRIX_TEST_TMP/113
rm -rf "$t"
mkdir -p "$t"
# a uv that writes down its arguments, installs nothing and finds python3
cat >"$t/uv" <<SH
#!/bin/sh
echo "\$*" >>"$t/args"
case "\$2" in
find) echo /usr/bin/python3 ;;
list) echo '[]' ;;
esac
exit 0
SH
chmod +x "$t/uv"
printf 'interpreters:\n  - {id: a, provider: uv, request: "3.13"}\nworkloads: [cpu_loop]\n' >"$t/m.yaml"
FTMATRIX_UV=$t/uv FTMATRIX_CACHE=$t/cache "$FTMATRIX" interpreters "$t/m.yaml" >/dev/null 2>"$t/err" || true
[ -s "$t/args" ] || { cat "$t/err"; fail "uv was not run"; }
for cmd in install find list; do
	# (not "python install --help": uv is asked which flags it has)
	line=$(grep "^python $cmd .*3\.13" "$t/args" | head -1)
	[ -n "$line" ] || { cat "$t/args"; fail "no uv python $cmd"; }
	case " $line " in
	*" -- 3.13 "*) ;;
	*) fail "uv python $cmd without \"--\" before the request: $line" ;;
	esac
done
echo ok
