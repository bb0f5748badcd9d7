# ftmatrix validate, interpreters and run read a matrix from an http(s) URL
# and check it alike (unknown workloads too); a server
# that redirects forever, to file://, sends too much, stalls, fails or has
# an untrusted certificate gets a clear error and exit status 1.
. tests/e2e/lib.sh
. tests/lib/api.sh

t=$FTMATRIX_TEST_TMP/520
rm -rf "$t"
mkdir -p "$t/www"
trap 'api_stop' EXIT

cat >"$t/www/good.yaml" <<'YAML'
name: remote
interpreters:
  - {id: "3.13", provider: source, source: "debian:3.13.15"}
workloads:
  - {name: cpu_loop, iterations: 20000}
threads: [1]
repetitions: 1
samples: 2
warmup: 0
YAML
printf 'interpreters:\n  - {id: a, provider: path, path: /x}\nworkloads: [cpu_loop]\ncolour: red\n' >"$t/www/bad.yaml"
sed 's/cpu_loop, iterations: 20000}/no_such_workload}/' "$t/www/good.yaml" >"$t/www/unknown.yaml"

# refused URL MESSAGE [ENV...]: validate URL fails with exit 1 and MESSAGE
refused() {
	url=$1
	msg=$2
	shift 2
	rc=0
	env "$@" "$FTMATRIX" validate "$url" >"$t/out" 2>"$t/err" || rc=$?
	[ "$rc" -eq 1 ] || { cat "$t/err"; fail "validate $url: exit status $rc, expected 1"; }
	grep -Fq -- "$msg" "$t/err" || { cat "$t/err"; fail "validate $url: no \"$msg\""; }
}

api_start "$t/www"
u=$API_URL

"$FTMATRIX" validate "$u/files/good.yaml" >"$t/out" 2>"$t/err" ||
	{ cat "$t/err"; fail "a good remote matrix"; }
grep -Fq "$u/files/good.yaml: ok (1 interpreters, 1 workloads" "$t/out" || fail "validate said: $(cat "$t/out")"

# problems carry the URL as the file name
refused "$u/files/bad.yaml" "ftmatrix: $u/files/bad.yaml:4:1: unknown key \"colour\""
refused "$u/files/none.yaml" "cannot download $u/files/none.yaml: HTTP 404 (not found)"

# redirects: five are followed (/redirect/4 takes five), six are not, nor
# a loop, nor one to file://
"$FTMATRIX" validate "$u/redirect/4/good.yaml" >"$t/out" 2>"$t/err" ||
	{ cat "$t/err"; fail "five redirects"; }
refused "$u/redirect/5/good.yaml" "cannot download $u/redirect/5/good.yaml: too many redirects"
refused "$u/loop" "too many redirects"
[ "$(api_count "GET /loop")" -le 6 ] || fail "followed a redirect loop $(api_count "GET /loop") times"
refused "$u/to-file" "cannot download $u/to-file: a scheme ftmatrix does not fetch"
grep -q "root:" "$t/err" "$t/out" && fail "a redirect read /etc/passwd"

# too large, announced or not; a server that stalls
refused "$u/big" "cannot download $u/big: larger than 1048576 bytes"
refused "$u/big-chunked" "cannot download $u/big-chunked: larger than 1048576 bytes"
refused "$u/stall" "cannot download $u/stall: timed out" FTMATRIX_FETCH_TIMEOUT=2

# a password in the URL stays out of every message
refused "http://alice:hunter2@127.0.0.1:${u##*:}/files/bad.yaml" \
	"ftmatrix: http://***@127.0.0.1:${u##*:}/files/bad.yaml:4:1: unknown key"
grep -q hunter2 "$t/err" "$t/out" && fail "a password was shown"

# interpreters opens a matrix as run does: from a URL, and a bad one (an
# unknown key, an unknown workload, a local file or remote) provisions
# nothing
"$FTMATRIX" interpreters --json "$u/files/good.yaml" >"$t/out" 2>"$t/err" ||
	{ cat "$t/err"; fail "interpreters of a remote matrix"; }
jq -e 'length == 1 and .[0].id == "3.13" and .[0].available and .[0].identity.version == "3.13.15"' \
	"$t/out" >/dev/null || fail "interpreters of a remote matrix said: $(cat "$t/out")"
for m in "$u/files/bad.yaml" "$u/files/unknown.yaml" "$t/www/unknown.yaml" \
	"http://alice:hunter2@127.0.0.1:${u##*:}/files/unknown.yaml"; do
	rc=0
	"$FTMATRIX" interpreters "$m" >"$t/out" 2>"$t/err" || rc=$?
	[ "$rc" -eq 1 ] || { cat "$t/err"; fail "interpreters $m: exit status $rc, expected 1"; }
	[ ! -s "$t/out" ] || fail "interpreters $m provisioned: $(cat "$t/out")"
	case $m in
	*bad.yaml) msg="$m:4:1: unknown key \"colour\"" ;;
	*hunter2*) msg="http://***@127.0.0.1:${u##*:}/files/unknown.yaml:5:5: unknown workload \"no_such_workload\"" ;;
	*) msg="$m:5:5: unknown workload \"no_such_workload\" (see ftmatrix list)" ;;
	esac
	grep -Fq "ftmatrix: $msg" "$t/err" || { cat "$t/err"; fail "interpreters $m: no \"$msg\""; }
	grep -q hunter2 "$t/err" && fail "interpreters showed a password"
	# the same problems as validate finds
	"$FTMATRIX" validate "$m" 2>"$t/validate.err" >/dev/null && fail "validate $m passed"
	grep -Fq "ftmatrix: $msg" "$t/validate.err" || fail "validate $m said otherwise: $(cat "$t/validate.err")"
done

# run reads it too: a bad one runs nothing, a good one runs
rc=0
"$FTMATRIX" run "$u/files/bad.yaml" -o "$t/run-bad" >"$t/out" 2>"$t/err" || rc=$?
[ "$rc" -eq 1 ] || fail "run of a bad remote matrix: exit status $rc"
[ ! -e "$t/run-bad" ] || fail "run of a bad remote matrix created its directory"
# (with a password in the URL, which the results must not keep)
pu="http://alice:hunter2@127.0.0.1:${u##*:}/files/good.yaml"
"$FTMATRIX" run "$pu" -o "$t/run" >"$t/out" 2>"$t/err" ||
	{ cat "$t/err"; fail "run of a remote matrix"; }
grep -rq hunter2 "$t/run" "$t/out" "$t/err" && fail "the run kept or showed the password"
check_json "$t/run/results.json" ".matrix.path == \"http://***@127.0.0.1:${u##*:}/files/good.yaml\""
check_json "$t/run/results.json" '.complete == true and .matrix.name == "remote"'
check_json "$t/run/results.json" '[.cells[] | select(.status == "ok")] | length == 1'
jq -j '.matrix.text' "$t/run/results.json" | cmp -s - "$t/www/good.yaml" ||
	fail "results do not hold the remote matrix as served"
api_stop

# a refused connection
refused "$u/files/good.yaml" "cannot download $u/files/good.yaml: connection refused"

# TLS: verified, and an unknown certificate authority refused
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 \
	-addext subjectAltName=IP:127.0.0.1 -keyout "$t/key.pem" -out "$t/cert.pem" 2>/dev/null ||
	fail "openssl cannot make a certificate"
api_start "$t/www" --tls "$t/cert.pem" "$t/key.pem"
case $API_URL in https://*) ;; *) fail "not https: $API_URL" ;; esac
refused "$API_URL/files/good.yaml" "the server's TLS certificate is not trusted" \
	-u CURL_CA_BUNDLE -u SSL_CERT_FILE
env -u CURL_CA_BUNDLE SSL_CERT_FILE="$t/cert.pem" "$FTMATRIX" validate "$API_URL/files/good.yaml" \
	>"$t/out" 2>"$t/err" || { cat "$t/err"; fail "https with its certificate trusted"; }
echo ok
