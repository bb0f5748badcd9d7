# ftmatrix publish POSTs a results file as JSON with a bearer token from
# the environment (never argv, never printed), retries what may pass, and
# says plainly what the server refused.
. tests/e2e/lib.sh
. tests/lib/api.sh

t=$FTMATRIX_TEST_TMP/530
rm -rf "$t"
mkdir -p "$t/www"
trap 'api_stop' EXIT
results=$FTMATRIX_ROOT/tests/fixtures/results-small.json
token="s3cret-T0ken.$(date +%s%N)"
key=$(sha256sum "$results" | cut -d' ' -f1)

# publish EXPECTED-STATUS ARGS...: runs publish with the token set,
# checks the exit status and that the token is nowhere in what it printed
publish() {
	want=$1
	shift
	rc=0
	env FTMATRIX_TOKEN="$token" "$FTMATRIX" publish "$@" >"$t/out" 2>"$t/err" || rc=$?
	[ "$rc" -eq "$want" ] || { cat "$t/err"; fail "publish $*: exit status $rc, expected $want"; }
	if grep -Fq "$token" "$t/out" "$t/err"; then fail "publish $* printed the token"; fi
}

export API_SERVER_TOKEN=$token

# 1. Accepted: the file verbatim, as JSON, with the token and a key that
# makes a repeated POST recognisable
api_start "$t/www"
publish 0 "$results" "$API_URL/results"
[ "$(cat "$t/out")" = "/results/1" ] || fail "publish did not print the Location: $(cat "$t/out")"
grep -Fq "published $results" "$t/err" || fail "publish did not say what it did: $(cat "$t/err")"
cmp -s "$API_LOG/post-1.body" "$results" || fail "the server got something else than the file"
h=$API_LOG/post-1.headers
grep -Fxq "Authorization: Bearer $token" "$h" || fail "no bearer token sent"
grep -Fxq "Content-Type: application/json" "$h" || fail "not sent as JSON"
grep -Fxq "Idempotency-Key: $key" "$h" || fail "no idempotency key"

# another variable, named on the command line
env -u FTMATRIX_TOKEN MY_TOKEN="$token" "$FTMATRIX" publish --token-env MY_TOKEN \
	"$results" "$API_URL/results" >"$t/out" 2>"$t/err" || { cat "$t/err"; fail "--token-env"; }

# 2. Refused: no token, a wrong one, a bad request, a redirect
rc=0
env -u FTMATRIX_TOKEN "$FTMATRIX" publish "$results" "$API_URL/results" >"$t/out" 2>"$t/err" || rc=$?
[ "$rc" -eq 1 ] || fail "no token: exit status $rc"
grep -Fq "cannot publish to $API_URL/results: HTTP 401 (unauthorized): {\"error\": \"bad or missing token\"}" "$t/err" ||
	{ cat "$t/err"; fail "401 not said"; }
grep -Fq 'the server wants a token: put it in $FTMATRIX_TOKEN' "$t/err" || fail "no way forward for 401"
n=$(api_count "POST /results")
rc=0
env FTMATRIX_TOKEN="wrong-$token" "$FTMATRIX" publish "$results" "$API_URL/results" >"$t/out" 2>"$t/err" || rc=$?
[ "$rc" -eq 1 ] || fail "wrong token: exit status $rc"
grep -Fq 'the server refused the token in $FTMATRIX_TOKEN' "$t/err" || { cat "$t/err"; fail "refused token not said"; }
if grep -Fq "wrong-" "$t/err"; then fail "the wrong token was printed"; fi
[ "$(api_count "POST /results")" -eq $((n + 1)) ] || fail "a 401 was retried"
publish 1 "$results" "$API_URL/moved"
grep -Fq "HTTP 307: the server redirects to /results; publish there instead" "$t/err" ||
	{ cat "$t/err"; fail "redirect not said"; }
[ "$(api_count "POST /results")" -eq $((n + 1)) ] || fail "a POST followed a redirect"
api_stop

api_start "$t/www" --post-status 400
publish 1 "$results" "$API_URL/results"
grep -Fq "HTTP 400: {\"error\": \"status 400 as asked\"}" "$t/err" || { cat "$t/err"; fail "400 not said"; }
[ "$(api_count "POST /results")" -eq 1 ] || fail "a 400 was retried"
api_stop

# 3. Retried: 503 twice (with Retry-After), then taken; the same key each
# time; a server that keeps failing is given up on
api_start "$t/www" --post-status 503,503,201
publish 0 "$results" "$API_URL/results"
[ "$(api_count "POST /results")" -eq 3 ] || fail "expected 3 POSTs, got $(api_count "POST /results")"
[ "$(grep -c "retrying in 1 s" "$t/err")" -eq 2 ] || { cat "$t/err"; fail "retries not said, or Retry-After not honoured"; }
[ "$(cat "$API_LOG"/post-*.headers | grep -c "^Idempotency-Key: $key$")" -eq 3 ] ||
	fail "retries did not carry the same idempotency key"
[ "$(cat "$t/out")" = "/results/3" ] || fail "wrong Location after retries: $(cat "$t/out")"
api_stop

api_start "$t/www" --post-status 500
publish 1 --retries 1 "$results" "$API_URL/results"
[ "$(api_count "POST /results")" -eq 2 ] || fail "--retries 1 made $(api_count "POST /results") POSTs"
grep -Fq "HTTP 500 (server error): {\"error\": \"status 500 as asked\"} (gave up after retrying)" "$t/err" ||
	{ cat "$t/err"; fail "giving up not said"; }
api_stop

# nobody listening
publish 1 --retries 0 "$results" "$API_URL/results"
grep -Fq "cannot publish to $API_URL/results: connection refused" "$t/err" || { cat "$t/err"; fail "refused connection"; }

# 3b. https: the server's certificate is verified
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 \
	-addext subjectAltName=IP:127.0.0.1 -keyout "$t/key.pem" -out "$t/cert.pem" 2>/dev/null ||
	fail "openssl cannot make a certificate"
api_start "$t/www" --tls "$t/cert.pem" "$t/key.pem"
case $API_URL in https://*) ;; *) fail "not https: $API_URL" ;; esac
unset CURL_CA_BUNDLE SSL_CERT_FILE
publish 1 --retries 0 "$results" "$API_URL/results"
grep -Fq "cannot publish to $API_URL/results: the server's TLS certificate is not trusted" "$t/err" ||
	{ cat "$t/err"; fail "an untrusted certificate was not refused"; }
[ "$(api_count "POST /results")" -eq 0 ] || fail "posted to an untrusted server"
export SSL_CERT_FILE="$t/cert.pem"
publish 0 "$results" "$API_URL/results"
unset SSL_CERT_FILE
cmp -s "$API_LOG/post-1.body" "$results" || fail "https: the server got something else"
api_stop

# 4. Refused before sending anything: the token on argv, the token over
# plain http to another host, a corrupt or unfinished results file
api_start "$t/www"
rc=0
"$FTMATRIX" publish --token "$token" "$results" "$API_URL/results" >"$t/out" 2>"$t/err" || rc=$?
[ "$rc" -eq 2 ] || fail "--token: exit status $rc"
grep -Fq "a token on the command line is visible to every user" "$t/err" || fail "--token not explained"
publish 1 "$results" "http://results.example.invalid/results"
grep -Fq 'refusing to send the token in $FTMATRIX_TOKEN over plain http to http://results.example.invalid/results; use https' "$t/err" ||
	{ cat "$t/err"; fail "plain http not refused"; }
head -c 500 "$results" >"$t/truncated.json"
publish 1 "$t/truncated.json" "$API_URL/results"
jq '.complete = false' "$results" >"$t/partial.json"
publish 1 "$t/partial.json" "$API_URL/results"
grep -Fq "unfinished run" "$t/err" || { cat "$t/err"; fail "an unfinished run was not refused"; }
[ "$(api_count "POST")" -eq 0 ] || fail "something was sent"
publish 0 --partial "$t/partial.json" "$API_URL/results"
[ "$(api_count "POST")" -eq 1 ] || fail "--partial sent nothing"
echo ok
