/* POSTs a results file to a server that keeps them (libcurl, through
 * fetch.c's setup and wording of failures). */
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ftmatrix.h"
#include "fetch.h"

#define PUBLISH_MAX_ANSWER (64 * 1024)

struct answer {
	struct buf body;
};

static size_t
answer_write(char *data, size_t size, size_t n, void *arg)
{
	struct answer *a = arg;
	size_t len = size * n, room;

	/* what does not fit is dropped, not an error: only its start is
	 * ever shown */
	room = a->body.len < PUBLISH_MAX_ANSWER
	    ? PUBLISH_MAX_ANSWER - a->body.len
	    : 0;
	buf_add(&a->body, data, len < room ? len : room);
	return len;
}

/* The first line of a server's answer, made safe for a terminal. */
static char *
answer_line(const struct buf *b)
{
	const unsigned char *p =
	    (const unsigned char *)(b->data ? b->data : "");
	size_t i, n = b->len;
	char *out;

	while (n && (*p == ' ' || *p == '\n' || *p == '\r'))
		p++, n--;
	out = xmalloc(201);
	for (i = 0; i < n && i < 200 && p[i] != '\n' && p[i] != '\r'; i++)
		out[i] = p[i] < 0x20 || p[i] == 0x7f ? '?' : (char)p[i];
	out[i] = '\0';
	return out;
}

/* s with every copy of secret replaced by "***": a server may echo the
 * token back. */
static char *
redact(char *s, const char *secret)
{
	size_t n = secret ? strlen(secret) : 0;
	struct buf b = {0};
	const char *p = s, *hit;

	if (!s || !n || !strstr(s, secret))
		return s;
	while ((hit = strstr(p, secret))) {
		buf_add(&b, p, hit - p);
		buf_add(&b, "***", 3);
		p = hit + n;
	}
	buf_add(&b, p, strlen(p));
	free(s);
	return buf_detach(&b);
}

/* A header of the answer, or NULL. */
static char *
answer_header(CURL *c, const char *name)
{
	struct curl_header *h;

	if (curl_easy_header(c, name, 0, CURLH_HEADER, -1, &h) != CURLHE_OK)
		return NULL;
	return xstrdup(h->value);
}

/* One POST; 0 when an answer came (any status), else -1 with *cr set. */
static int
publish_once(const char *url, const char *json, size_t len,
    const struct publish_opts *o, long *status, struct answer *a,
    long *retry_after, char **location, CURLcode *cr, char *errbuf)
{
	struct curl_slist *hdr = NULL;
	char *idem = xasprintf("Idempotency-Key: %s", o->idempotency_key);
	char *after;
	CURL *c = curl_easy_init();

	if (!c)
		fatal("cannot initialise libcurl");
	hdr = curl_slist_append(hdr, "Content-Type: application/json");
	hdr = curl_slist_append(hdr, "Accept: application/json");
	/* a retried POST the server already took is not taken twice */
	hdr = curl_slist_append(hdr, idem);
	hdr = curl_slist_append(hdr, "Expect:");
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_POST, 1L);
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, json);
	curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdr);
	/* a redirect would resend the results, and the token, elsewhere */
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 30L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, fetch_timeout_s());
	curl_easy_setopt(c, CURLOPT_USERAGENT, "ftmatrix/" FTMATRIX_VERSION);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, answer_write);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, a);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
	fetch_ca_set(c);
	/* this machine is reached directly: plain http to it must not
	 * cross a proxy, with the token in clear */
	if (url_is_loopback(url))
		curl_easy_setopt(c, CURLOPT_NOPROXY, "*");
	if (o->token) {
		curl_easy_setopt(c, CURLOPT_HTTPAUTH, CURLAUTH_BEARER);
		curl_easy_setopt(c, CURLOPT_XOAUTH2_BEARER, o->token);
	}
	errbuf[0] = '\0';
	*cr = curl_easy_perform(c);
	*status = 0;
	*retry_after = -1;
	if (*cr == CURLE_OK) {
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, status);
		free(*location);
		*location = redact(answer_header(c, "Location"), o->token);
		if ((after = answer_header(c, "Retry-After"))) {
			if (parse_long(after, retry_after) < 0)
				*retry_after = -1;
			free(after);
		}
	}
	curl_easy_cleanup(c);
	curl_slist_free_all(hdr);
	free(idem);
	return *cr == CURLE_OK ? 0 : -1;
}

int
publish_json(const char *url, const char *json, size_t len,
    const struct publish_opts *o, long *status, char **location)
{
	char errbuf[CURL_ERROR_SIZE], *shown = url_display(url), *why, *line;
	struct answer a = {0};
	long delay, retry_after;
	int attempt, tries = o->retries + 1, rc = -1;
	CURLcode cr;

	fetch_init();
	*location = NULL;
	for (attempt = 1; attempt <= tries && !interrupted; attempt++) {
		buf_free(&a.body);
		if (publish_once(url, json, len, o, status, &a, &retry_after,
		        location, &cr, errbuf) == 0) {
			if (*status >= 200 && *status < 300) {
				rc = 0;
				break;
			}
			line = redact(answer_line(&a.body), o->token);
			why = xasprintf("HTTP %ld%s%s%s", *status,
			    *status == 401       ? " (unauthorized)"
			        : *status == 403 ? " (forbidden)"
			        : *status == 404 ? " (not found)"
			        : *status >= 500 ? " (server error)"
			                         : "",
			    *line ? ": " : "", line);
			free(line);
			if (*status >= 300 && *status < 400 && *location) {
				char *to = url_display(*location);

				free(why);
				why =
				    xasprintf("HTTP %ld: the server redirects "
				              "to %s; publish there instead",
				        *status, to);
				free(to);
			}
			if (!(*status >= 500 || *status == 429 ||
			        *status == 408) ||
			    attempt == tries) {
				error("cannot publish to %s: %s%s", shown, why,
				    attempt > 1 ? " (gave up after retrying)"
				                : "");
				free(why);
				break;
			}
		} else {
			if (cr == CURLE_ABORTED_BY_CALLBACK)
				break;
			why = fetch_why(cr, 0, errbuf);
			if (!fetch_retryable(cr, 0) || attempt == tries) {
				error("cannot publish to %s: %s%s", shown, why,
				    attempt > 1 ? " (gave up after retrying)"
				                : "");
				free(why);
				break;
			}
		}
		delay = 1L << (attempt - 1);
		if (retry_after >= 0 && retry_after <= 60)
			delay = retry_after;
		warn("%s: %s; retrying in %ld s (attempt %d of %d)", shown, why,
		    delay, attempt + 1, tries);
		free(why);
		sleep((unsigned)delay);
	}
	if (rc < 0 && interrupted)
		error("%s: interrupted", shown);
	buf_free(&a.body);
	free(shown);
	return rc;
}

/* The token, checked; NULL and *bad set when it cannot be sent. */
static const char *
token_get(const char *env, int explicit, int *bad)
{
	const char *t = getenv(env), *p;

	*bad = 0;
	if (!t || !*t) {
		if (explicit) {
			error("--token-env %s: the variable is not set", env);
			*bad = 1;
		}
		return NULL;
	}
	for (p = t; *p; p++)
		if (*p < 0x21 || *p > 0x7e) {
			error("the token in $%s has a space or a character "
			      "that cannot go in an HTTP header",
			    env);
			*bad = 1;
			return NULL;
		}
	return t;
}

int
publish_file(const struct publish_request *rq)
{
	const char *env = rq->token_env, *path = rq->path, *url = rq->url;
	struct publish_opts po = {.retries = rq->retries};
	struct resultset rs = {0};
	struct buf text = {0};
	char key[65], *location = NULL, *shown = NULL;
	int bad, rc = -1;
	long status = 0;

	po.token = token_get(env, rq->token_env_given, &bad);
	if (bad)
		return -1;
	/* nothing we start ever sees it */
	proc_env_hide(env);
	shown = url_display(url);
	if (po.token && url_is_plain_http(url) && !url_is_loopback(url)) {
		error("refusing to send the token in $%s over plain http to "
		      "%s; use https",
		    env, shown);
		goto out;
	}
	/* what is sent is the file as it is, once it reads as results */
	if (results_load(path, &rs) < 0)
		goto out;
	if (!rs.complete && !rq->partial) {
		error("%s is the results of an unfinished run; finish it "
		      "with ftmatrix run, or publish it anyway with --partial",
		    path);
		goto out;
	}
	if (file_read(path, &text) < 0)
		goto out;
	sha256_hex(buf_str(&text), text.len, key);
	po.idempotency_key = key;
	if (publish_json(
	        url, buf_str(&text), text.len, &po, &status, &location) < 0) {
		if ((status == 401 || status == 403) && po.token)
			error("the server refused the token in $%s", env);
		else if (status == 401 || status == 403)
			error("the server wants a token: put it in $%s (or "
			      "name another variable with --token-env)",
			    env);
		goto out;
	}
	fprintf(stderr, "ftmatrix: published %s (%zu cells) to %s: HTTP %ld\n",
	    path, rs.ncells, shown, status);
	if (location) {
		char *safe = term_safe(location); /* the server's text */

		printf("%s\n", safe);
		free(safe);
	}
	rc = 0;
out:
	results_free(&rs);
	buf_free(&text);
	free(location);
	free(shown);
	return rc;
}
