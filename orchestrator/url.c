#include <arpa/inet.h>
#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>

#include "ftmatrix.h"

/* The host of an http or https URL, as curl's URL parser reads it (what
 * libcurl then connects to), and its scheme; NULL when it is not one. */
static char *
url_host(const char *url, char **scheme)
{
	CURLU *u = curl_url();
	char *host = NULL, *sch = NULL, *out = NULL;

	if (!u)
		fatal("cannot initialise libcurl");
	if (curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_SCHEME, &sch, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK &&
	    (!strcmp(sch, "http") || !strcmp(sch, "https"))) {
		out = xstrdup(host);
		if (scheme)
			*scheme = xstrdup(sch);
	}
	curl_free(host);
	curl_free(sch);
	curl_url_cleanup(u);
	return out;
}

int
url_is_http(const char *url)
{
	char *host = url_host(url, NULL);

	free(host);
	return host != NULL;
}

int
url_is_loopback(const char *url)
{
	char *host = url_host(url, NULL);
	unsigned char a[16];
	int yes = 0;

	if (!host)
		return 0;
	if (!strcmp(host, "localhost"))
		yes = 1;
	else if (inet_pton(AF_INET, host, a) == 1)
		yes = a[0] == 127;
	else if (host[0] == '[' && host[strlen(host) - 1] == ']') {
		host[strlen(host) - 1] = '\0';
		yes = inet_pton(AF_INET6, host + 1, a) == 1 &&
		    !memcmp(a, "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\1", 16);
	}
	free(host);
	return yes;
}

int
url_is_plain_http(const char *url)
{
	char *scheme = NULL, *host = url_host(url, &scheme);
	int yes = host && !strcmp(scheme, "http");

	free(host);
	free(scheme);
	return yes;
}

int
url_is_remote(const char *s)
{
	return strncmp(s, "http://", 7) == 0 ||
	    strncmp(s, "https://", 8) == 0 || strncmp(s, "file://", 7) == 0;
}

char *
url_display(const char *url)
{
	const char *host = strstr(url, "://"), *end, *at;

	if (!host)
		return xstrdup(url);
	host += 3;
	end = host + strcspn(host, "/?#");
	at = memchr(host, '@', end - host);
	if (!at)
		return xstrdup(url);
	/* the last '@' ends the user information */
	while (memchr(at + 1, '@', end - at - 1))
		at = memchr(at + 1, '@', end - at - 1);
	return xasprintf("%.*s***%s", (int)(host - url), url, at);
}
