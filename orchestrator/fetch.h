/*
 * Internal to fetch.c and publish.c, which together wrap libcurl: its
 * setup and what its failures mean. Nothing else includes this.
 */
#include <curl/curl.h>

/* curl_global_init, once */
void fetch_init(void);
void fetch_ca_set(CURL *c);
/* Seconds a remote matrix or a publish may take in all:
 * $FTMATRIX_FETCH_TIMEOUT, else 60. */
long fetch_timeout_s(void);
int fetch_retryable(CURLcode rc, long status);
char *fetch_why(CURLcode cr, long status, const char *errbuf);
