# Starts and stops tests/lib/api-server.py for the network tests
# (tests/e2e/52N-*.sh), sourced after tests/e2e/lib.sh.

# api_start ROOT [ARGS]: serves ROOT; sets API_URL (no trailing slash),
# API_LOG (its directory: requests.log, post-N.*) and API_PID. ARGS go to
# the server (--post-status LIST, --tls CERT KEY: then API_URL is https).
api_start() {
	root=$1
	shift
	API_LOG=$(mktemp -d "$FTMATRIX_TEST_TMP/api.XXXXXX")
	: >"$API_LOG/requests.log"
	/usr/bin/python3 "$FTMATRIX_ROOT/tests/lib/api-server.py" "$root" \
		"$API_LOG/port" "$API_LOG" "$@" &
	API_PID=$!
	n=0
	while [ ! -e "$API_LOG/port" ]; do
		n=$((n + 1))
		[ "$n" -le 600 ] || fail "the API server did not start"
		sleep 0.1
	done
	scheme=http
	case " $* " in *" --tls "*) scheme=https ;; esac
	API_URL=$scheme://127.0.0.1:$(cat "$API_LOG/port")
}

api_stop() {
	[ -n "${API_PID:-}" ] || return 0
	kill "$API_PID" 2>/dev/null || true
	wait "$API_PID" 2>/dev/null || true
	API_PID=
}

# How many requests the server has seen, by "METHOD PATH".
api_count() {
	grep -c "^$1 " "$API_LOG/requests.log" || true
}
