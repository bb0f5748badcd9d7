# The publish token goes only where it should: plain http only to this
# machine (the host as curl reads it), never through a proxy, never
# printed even when the server echoes it, and never in the environment of
# a child (interpreters, probes, workloads, uv).
. tests/e2e/lib.sh
. tests/lib/api.sh

t=$FTMATRIX_TEST_TMP/531
rm -rf "$t"
mkdir -p "$t/www"
proxy_pid=
trap 'api_stop; [ -z "$proxy_pid" ] || kill "$proxy_pid" 2>/dev/null || true' EXIT
results=$FTMATRIX_ROOT/tests/fixtures/results-small.json
token="s3cret-T0ken.$(date +%s%N)"

# publish EXPECTED-STATUS ARGS...: as in 530, the token nowhere in the output
publish() {
	want=$1
	shift
	rc=0
	env FTMATRIX_TOKEN="$token" "$FTMATRIX" publish "$@" >"$t/out" 2>"$t/err" || rc=$?
	[ "$rc" -eq "$want" ] || { cat "$t/err"; fail "publish $*: exit status $rc, expected $want"; }
	if grep -Fq "$token" "$t/out" "$t/err"; then fail "publish $* printed the token"; fi
}

# 1. hosts that only look like this machine get no token over plain http
for u in "http://127.0.0.1.attacker.example/results" "http://localhost.attacker.example/results" \
	"http://127.attacker.example/results" "http://127.0.0.1@attacker.example/results"; do
	publish 1 --retries 0 "$results" "$u"
	grep -Fq 'refusing to send the token in $FTMATRIX_TOKEN over plain http to' "$t/err" ||
		{ cat "$t/err"; fail "$u: plain http to another host not refused"; }
done

# 2. a proxy never sees a token sent in clear to this machine
mkdir -p "$t/proxy"
/usr/bin/python3 "$FTMATRIX_ROOT/tests/lib/api-server.py" "$t/www" "$t/proxy/port" "$t/proxy" &
proxy_pid=$!
n=0
while [ ! -e "$t/proxy/port" ]; do
	n=$((n + 1))
	[ "$n" -le 600 ] || fail "the proxy did not start"
	sleep 0.1
done
proxy=http://127.0.0.1:$(cat "$t/proxy/port")
api_start "$t/www"
for v in http_proxy HTTP_PROXY ALL_PROXY; do
	: >"$t/proxy/requests.log"
	n=$(api_count "POST /results")
	env "$v=$proxy" NO_PROXY= no_proxy= FTMATRIX_TOKEN="$token" "$FTMATRIX" publish --retries 0 \
		"$results" "$API_URL/results" >"$t/out" 2>"$t/err" || { cat "$t/err"; fail "$v: publish"; }
	[ ! -s "$t/proxy/requests.log" ] || fail "$v: the proxy got $(cat "$t/proxy/requests.log")"
	[ "$(api_count "POST /results")" -eq $((n + 1)) ] || fail "$v: the server got nothing"
done

# 3. a server that echoes the token, in its error or in its Location
publish 1 --retries 0 "$results" "$API_URL/echo"
grep -Fq 'HTTP 400: {"error": "bad token Bearer ***"}' "$t/err" || { cat "$t/err"; fail "echoed token not redacted"; }
publish 0 "$results" "$API_URL/echo-location"
[ "$(cat "$t/out")" = "/results/Bearer-***" ] || fail "Location not redacted: $(cat "$t/out")"
api_stop

# 4. no child sees it: an interpreter that writes down its environment
py=$(ls -d "$HOME"/.pyenv/versions/3.1*/bin/python3 2>/dev/null | head -1)
[ -n "$py" ] || py=/usr/bin/python3
cat >"$t/python3" <<SH
#!/bin/sh
env >>"$t/env.txt"
exec "$py" "\$@"
SH
chmod +x "$t/python3"
printf 'interpreters:\n  - {id: p, provider: path, path: "%s"}\nworkloads: [cpu_loop]\n' "$t/python3" >"$t/m.yaml"
FTMATRIX_TOKEN="$token" OTHER_VAR=kept "$FTMATRIX" interpreters "$t/m.yaml" >"$t/out" 2>"$t/err" || true
[ -s "$t/env.txt" ] || { cat "$t/err"; fail "the interpreter did not run"; }
grep -q "^OTHER_VAR=kept$" "$t/env.txt" || fail "the environment was not passed on"
if grep -Fq "$token" "$t/env.txt"; then fail "a child got the token"; fi
echo ok
