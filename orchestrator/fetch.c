#include <curl/curl.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ftmatrix.h"
#include "fetch.h"

#define FETCH_TRIES 4
#define FETCH_MAX_REDIRECTS 5
/* plain progress lines (no terminal) at most this often */
#define FETCH_PLAIN_EVERY_S 10.0

struct sink {
	FILE *file;
	struct buf *buf;
	size_t max_bytes; /* of buf, or of the whole file with offset */
	int too_big;
	/* progress */
	const char *name;
	int tty, shown, announced;
	curl_off_t offset; /* bytes we already had when this attempt began */
	curl_off_t total, now; /* of this attempt, as libcurl last said */
	curl_off_t written;    /* of this attempt, by us */
	double start, last_print;
};

void
fetch_init(void)
{
	static int done;

	if (!done) {
		curl_global_init(CURL_GLOBAL_DEFAULT);
		done = 1;
	}
}

static size_t
sink_write(char *data, size_t size, size_t n, void *arg)
{
	struct sink *s = arg;
	size_t len = size * n;

	if (s->buf) {
		if (s->buf->len + len > s->max_bytes) {
			s->too_big = 1;
			return 0;
		}
		buf_add(s->buf, data, len);
		return len;
	}
	if ((size_t)(s->offset + s->written) + len > s->max_bytes) {
		s->too_big = 1;
		return 0;
	}
	s->written += len;
	return fwrite(data, 1, len, s->file);
}

static void
format_eta(double s, char *out, size_t n)
{
	long t = (long)(s + 0.5);

	if (s < 0 || s > 99 * 3600)
		snprintf(out, n, "--:--");
	else if (t >= 3600)
		snprintf(
		    out, n, "%ld:%02ld:%02ld", t / 3600, t / 60 % 60, t % 60);
	else
		snprintf(out, n, "%ld:%02ld", t / 60, t % 60);
}

static void
sink_draw(struct sink *s, double t)
{
	double elapsed = t - s->start, rate;
	double have = (double)(s->offset + s->now), all;
	char eta[32];

	rate = elapsed > 0 ? s->now / elapsed : 0;
	all = s->total > 0 ? (double)(s->offset + s->total) : 0;
	format_eta(
	    rate > 0 && all > 0 ? (all - have) / rate : -1, eta, sizeof(eta));
	if (s->tty) {
		int width = 24,
		    filled = all > 0 ? (int)(width * have / all) : 0;

		fprintf(stderr,
		    "\r  [%-*.*s%*s] %6.1f / %.1f MiB  %.1f MiB/s  "
		    "ETA %s ",
		    filled, filled, "########################", width - filled,
		    "", have / 1048576.0, all / 1048576.0, rate / 1048576.0,
		    eta);
	} else if (all > 0) {
		fprintf(stderr,
		    "ftmatrix: %s: %.1f of %.1f MiB (%.0f%%), "
		    "%.1f MiB/s, ETA %s\n",
		    s->name, have / 1048576.0, all / 1048576.0,
		    100.0 * have / all, rate / 1048576.0, eta);
	} else {
		fprintf(stderr, "ftmatrix: %s: %.1f MiB, %.1f MiB/s\n", s->name,
		    have / 1048576.0, rate / 1048576.0);
	}
	s->shown = 1;
}

/* A bar with rate and ETA on a terminal, redrawn a few times a second and
 * once more at the end; elsewhere a plain line when the size is known and
 * then every FETCH_PLAIN_EVERY_S, so logs stay readable. */
static int
sink_progress(
    void *arg, curl_off_t total, curl_off_t now, curl_off_t ut, curl_off_t un)
{
	struct sink *s = arg;
	double t = now_mono_s();

	(void)ut;
	(void)un;
	if (interrupted)
		return 1;
	if (s->buf)
		return 0;
	s->total = total;
	s->now = now;
	if (!s->tty && total > 0 && !s->announced) {
		s->announced = 1;
		fprintf(stderr, "ftmatrix: %s: %.1f MiB to download%s\n",
		    s->name, (double)total / 1048576.0,
		    s->offset ? " (the rest of it)" : "");
		s->last_print = t;
		return 0;
	}
	if (now <= 0 ||
	    t - s->last_print < (s->tty ? 0.2 : FETCH_PLAIN_EVERY_S))
		return 0;
	s->last_print = t;
	sink_draw(s, t);
	return 0;
}

/* The CA bundle curl and uv users already point at, for mirrors behind a
 * private certificate authority. */
void
fetch_ca_set(CURL *c)
{
	const char *ca;

	if ((ca = getenv("CURL_CA_BUNDLE")) && *ca)
		curl_easy_setopt(c, CURLOPT_CAINFO, ca);
	else if ((ca = getenv("SSL_CERT_FILE")) && *ca)
		curl_easy_setopt(c, CURLOPT_CAINFO, ca);
}

static CURL *
curl_make(const char *url, struct sink *s, char *errbuf)
{
	CURL *c = curl_easy_init();

	if (!c)
		fatal("cannot initialise libcurl");
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(c, CURLOPT_MAXREDIRS, 5L);
	/* never to file:// once redirected, nor from https to http */
	curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR,
	    url_is_plain_http(url) ? "http,https" : "https");
	curl_easy_setopt(c, CURLOPT_FAILONERROR, 1L);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 30L);
	curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L);
	curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, 60L);
	curl_easy_setopt(c, CURLOPT_USERAGENT, "ftmatrix/" FTMATRIX_VERSION);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, sink_write);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, s);
	curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, sink_progress);
	curl_easy_setopt(c, CURLOPT_XFERINFODATA, s);
	curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
	fetch_ca_set(c);
	return c;
}

/* Whether trying again could help: not for 4xx, a bad URL or a bad file. */
int
fetch_retryable(CURLcode rc, long status)
{
	if (rc == CURLE_HTTP_RETURNED_ERROR)
		return status >= 500 || status == 429 || status == 408;
	return rc == CURLE_COULDNT_CONNECT || rc == CURLE_OPERATION_TIMEDOUT ||
	    rc == CURLE_PARTIAL_FILE || rc == CURLE_RECV_ERROR ||
	    rc == CURLE_GOT_NOTHING || rc == CURLE_SEND_ERROR ||
	    rc == CURLE_COULDNT_RESOLVE_HOST;
}

/* What went wrong, in words, with curl's own text after it. */
char *
fetch_why(CURLcode cr, long status, const char *errbuf)
{
	const char *curl = errbuf[0] ? errbuf : curl_easy_strerror(cr);

	switch (cr) {
	case CURLE_HTTP_RETURNED_ERROR:
		return xasprintf("HTTP %ld%s", status,
		    status == 404       ? " (not found)"
		        : status == 403 ? " (forbidden)"
		        : status == 401 ? " (unauthorized)"
		        : status >= 500 ? " (server error)"
		                        : "");
	case CURLE_COULDNT_CONNECT:
		return xasprintf(
		    "connection refused or host unreachable (%s)", curl);
	case CURLE_COULDNT_RESOLVE_HOST:
		return xasprintf("unknown host (%s)", curl);
	case CURLE_OPERATION_TIMEDOUT:
		return xasprintf("timed out (%s)", curl);
	case CURLE_PARTIAL_FILE:
	case CURLE_RECV_ERROR:
	case CURLE_GOT_NOTHING:
		return xasprintf("connection cut (%s)", curl);
	case CURLE_PEER_FAILED_VERIFICATION:
		return xasprintf(
		    "the server's TLS certificate is not trusted "
		    "(%s); if it should be, point SSL_CERT_FILE or "
		    "CURL_CA_BUNDLE at a CA bundle that holds its "
		    "issuer",
		    curl);
	case CURLE_FILE_COULDNT_READ_FILE:
		return xasprintf("no such file (%s)", curl);
	case CURLE_TOO_MANY_REDIRECTS:
		return xasprintf("too many redirects (%s)", curl);
	case CURLE_UNSUPPORTED_PROTOCOL:
		return xasprintf("a scheme ftmatrix does not fetch (%s)", curl);
	case CURLE_ABORTED_BY_CALLBACK:
		return xstrdup("interrupted");
	default:
		return xstrdup(curl);
	}
}

/* Compares a finished download with the sha256 it must have; a mismatch is
 * deleted so nothing ever uses it. */
static int
fetch_verify(const char *url, const char *part, const char *sha256)
{
	char got[65];

	if (!sha256)
		return 0;
	if (sha256_file(part, got) < 0)
		return -1;
	if (strcasecmp(got, sha256) == 0)
		return 0;
	unlink(part);
	error("%s: checksum mismatch: expected sha256 %s, got %s; the download "
	      "was deleted",
	    url, sha256, got);
	return -1;
}

/* A limit from the environment, else the default. */
static long
env_limit(const char *name, long def, long max)
{
	const char *e = getenv(name);
	long v;

	if (e && *e && parse_long(e, &v) == 0 && v >= 1 && v <= max)
		return v;
	return def;
}

/* A partial download is kept for the next run only when it is safe to
 * resume: the result will be checked against a sha256 the matrix pins.
 * Otherwise, or when it failed for being too large, it goes. */
static void
fetch_part_drop(const char *part, const char *sha256, int too_big)
{
	struct stat st;

	if (stat(part, &st) < 0)
		return;
	if (!sha256 || too_big || st.st_size == 0)
		unlink(part);
}

int
fetch_url_sha256(const char *url, const char *dest, const char *sha256)
{
	char *part = xasprintf("%s.part", dest), errbuf[CURL_ERROR_SIZE];
	const char *base = strrchr(url, '/');
	struct sink s = {.tty = isatty(2), .name = base ? base + 1 : url};
	double start = now_mono_s(), left;
	/* $FTMATRIX_DOWNLOAD_MAX_MIB (default 1024) and
	 * $FTMATRIX_DOWNLOAD_TIMEOUT seconds in all, retries included
	 * (default 3600) */
	long max_mib = env_limit("FTMATRIX_DOWNLOAD_MAX_MIB", 1024, 1L << 20);
	long limit_s = env_limit("FTMATRIX_DOWNLOAD_TIMEOUT", 3600, 86400);
	int attempt, rc = -1, too_big = 0;
	struct stat st;

	fetch_init();
	s.max_bytes = (size_t)max_mib << 20;
	/* what an earlier run left is resumed only if it will be verified */
	fetch_part_drop(part, sha256, stat(part, &st) == 0 &&
	        (size_t)st.st_size >= s.max_bytes);
	for (attempt = 1; attempt <= FETCH_TRIES && !interrupted; attempt++) {
		curl_off_t have = stat(part, &st) == 0 ? st.st_size : 0;
		long status = 0, delay = 1L << (attempt - 1);
		CURLcode cr;
		CURL *c;
		char *why;

		s.file = fopen(part, "ab");
		if (!s.file) {
			error("%s: %s", part, strerror(errno));
			break;
		}
		if (have > 0)
			fprintf(stderr, "ftmatrix: %s: resuming at %.1f MiB\n",
			    s.name, have / 1048576.0);
		errbuf[0] = '\0';
		s.offset = have;
		s.start = now_mono_s();
		s.shown = s.announced = 0;
		s.total = s.now = s.written = 0;
		s.last_print = 0;
		c = curl_make(url, &s, errbuf);
		if (have > 0)
			curl_easy_setopt(c, CURLOPT_RESUME_FROM_LARGE, have);
		/* a size announced up front is refused before any byte */
		curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE,
		    (curl_off_t)s.max_bytes - have);
		left = limit_s - (now_mono_s() - start);
		curl_easy_setopt(c, CURLOPT_TIMEOUT, left > 1 ? (long)left : 1L);
		cr = curl_easy_perform(c);
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
		curl_easy_cleanup(c);
		if (fclose(s.file) != 0 && cr == CURLE_OK) {
			error("%s: %s", part, strerror(errno));
			break;
		}
		if (s.tty && cr == CURLE_OK && s.now > 0)
			sink_draw(&s, now_mono_s()); /* the bar at 100% */
		if (s.tty && s.shown)
			fputc('\n', stderr);
		if (s.too_big || cr == CURLE_FILESIZE_EXCEEDED) {
			too_big = 1;
			error("cannot download %s: larger than %ld MiB (set "
			      "FTMATRIX_DOWNLOAD_MAX_MIB to allow more)",
			    url, max_mib);
			break;
		}
		if (cr == CURLE_RANGE_ERROR ||
		    (cr == CURLE_HTTP_RETURNED_ERROR && status == 416)) {
			warn(
			    "%s: the server cannot resume; starting over", url);
			unlink(part);
			continue;
		}
		if (cr == CURLE_OK) {
			if (fetch_verify(url, part, sha256) < 0)
				break;
			if (rename(part, dest) < 0) {
				error("%s: %s", dest, strerror(errno));
				break;
			}
			if (stat(dest, &st) == 0)
				fprintf(stderr,
				    "ftmatrix: %s: downloaded %.1f MiB in "
				    "%.1f s\n",
				    s.name, st.st_size / 1048576.0,
				    now_mono_s() - start);
			rc = 0;
			break;
		}
		if (cr == CURLE_ABORTED_BY_CALLBACK)
			break;
		why = fetch_why(cr, status, errbuf);
		left = limit_s - (now_mono_s() - start);
		if (fetch_retryable(cr, status) && attempt < FETCH_TRIES &&
		    left <= delay) {
			error("cannot download %s: %s (gave up: a download may "
			      "take %ld s in all; set FTMATRIX_DOWNLOAD_TIMEOUT "
			      "to allow more)",
			    url, why, limit_s);
			free(why);
			break;
		}
		if (!fetch_retryable(cr, status) || attempt == FETCH_TRIES) {
			if (attempt > 1)
				error(
				    "cannot download %s: %s (gave up after %d "
				    "attempts)",
				    url, why, attempt);
			else
				error("cannot download %s: %s", url, why);
			free(why);
			break;
		}
		warn("%s: %s; retrying in %ld s (attempt %d of %d)", url, why,
		    delay, attempt + 1, FETCH_TRIES);
		free(why);
		sleep((unsigned)delay);
	}
	if (rc < 0 && interrupted)
		error("%s: interrupted; %s", url,
		    sha256 ? "the next run resumes it"
		           : "the next run downloads it again");
	if (rc < 0)
		fetch_part_drop(part, sha256, too_big);
	free(part);
	return rc;
}

int
fetch_url(const char *url, const char *dest)
{
	return fetch_url_sha256(url, dest, NULL);
}

long
fetch_timeout_s(void)
{
	const char *e = getenv("FTMATRIX_FETCH_TIMEOUT");
	long t;

	if (e && *e && parse_long(e, &t) == 0 && t >= 1 && t <= 3600)
		return t;
	return 60;
}

/* A document someone else wrote: https and http only once redirected (a
 * server cannot send us to file:///etc), https only after https,
 * certificates verified, a size and redirect limit, an overall timeout. */
static void
fetch_harden(CURL *c, const char *url, size_t max_bytes)
{
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https,file");
	curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR,
	    url_is_plain_http(url) ? "http,https" : "https");
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
	curl_easy_setopt(c, CURLOPT_MAXREDIRS, (long)FETCH_MAX_REDIRECTS);
	curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)max_bytes);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, fetch_timeout_s());
}

int
fetch_text(const char *url, size_t max_bytes, struct buf *b)
{
	char errbuf[CURL_ERROR_SIZE], *shown = url_display(url);
	struct sink s = {.buf = b, .max_bytes = max_bytes};
	long status = 0;
	CURLcode cr;
	CURL *c;

	fetch_init();
	errbuf[0] = '\0';
	c = curl_make(url, &s, errbuf);
	fetch_harden(c, url, max_bytes);
	cr = curl_easy_perform(c);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_cleanup(c);
	if (s.too_big || cr == CURLE_FILESIZE_EXCEEDED) {
		error("cannot download %s: larger than %zu bytes", shown,
		    max_bytes);
		free(shown);
		return -1;
	}
	if (cr == CURLE_UNSUPPORTED_PROTOCOL && !url_is_plain_http(url) &&
	    url_is_http(url)) {
		error("cannot download %s: a redirect leaves https (%s); "
		      "ftmatrix follows an https URL only to https",
		    shown, errbuf[0] ? errbuf : curl_easy_strerror(cr));
		free(shown);
		return -1;
	}
	if (cr != CURLE_OK) {
		char *why = fetch_why(cr, status, errbuf);

		error("cannot download %s: %s", shown, why);
		free(why);
		free(shown);
		return -1;
	}
	if (!b->data)
		buf_add(b, "", 0);
	free(shown);
	return 0;
}
