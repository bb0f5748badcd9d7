#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ftmatrix.h"

#define UV_HOWTO                                                               \
	"install it (curl -LsSf https://astral.sh/uv/install.sh | sh, or "     \
	"pipx install uv; see "                                                \
	"https://docs.astral.sh/uv/getting-started/installation/), or run "    \
	"`ftmatrix uv-bootstrap` (the pinned uv from PyPI), or set "           \
	"FTMATRIX_UV to a uv executable"

const char *
uv_howto(void)
{
	return UV_HOWTO;
}

char *
uv_path(void)
{
	const char *env = getenv("FTMATRIX_UV");
	struct uv_pin pin;
	char *p = NULL, *pin_file;

	if (env && *env) {
		if (!strchr(env, '/'))
			return path_lookup(env);
		return path_is_executable(env) ? xstrdup(env) : NULL;
	}
	if ((p = path_lookup("uv")))
		return p;
	pin_file = path_join(data_dir(), "scripts/uv-pin");
	if (path_exists(pin_file) && uv_pin_read(&pin) == 0) {
		char *dir = uv_tools_dir(pin.version);

		p = path_join(dir, "uv");
		free(dir);
		uv_pin_free(&pin);
		if (!path_is_executable(p)) {
			free(p);
			p = NULL;
		}
	}
	free(pin_file);
	return p;
}

/* Runs "uv ARGS..."; stderr goes to the terminal when show is set (uv draws
 * its own progress there), else it is captured with stdout. */
static int
uv_run(const char *uv, const char *const *args, int show, struct proc_result *r)
{
	char *argv[16];
	size_t n = 0;
	struct proc_opts o = {.argv = argv,
	    .capture_stdout = !show,
	    .capture_stderr = !show,
	    .passthrough = show,
	    .timeout_s = 3600};

	argv[n++] = (char *)uv;
	while (*args && n < sizeof(argv) / sizeof(argv[0]) - 1)
		argv[n++] = (char *)*args++;
	argv[n] = NULL;
	return proc_run(&o, r);
}

/* Like uv_run, capturing both streams; an older uv that lacks
 * --managed-python is asked again with --python-preference only-managed. */
static int
uv_query(const char *uv, const char **args, struct proc_result *r)
{
	size_t i;

	if (uv_run(uv, args, 0, r) < 0)
		return -1;
	if (r->exit_status == 0 ||
	    !strstr(buf_str(&r->err), "unexpected argument '--managed-python'"))
		return 0;
	for (i = 0; args[i]; i++) {
		if (strcmp(args[i], "--managed-python") == 0) {
			const char *old[16];
			size_t j, n = 0;

			for (j = 0; j < i && n < 13; j++)
				old[n++] = args[j];
			old[n++] = "--python-preference";
			old[n++] = "only-managed";
			for (j = i + 1; args[j] && n < 15; j++)
				old[n++] = args[j];
			old[n] = NULL;
			proc_result_free(r);
			return uv_run(uv, old, 0, r);
		}
	}
	return 0;
}

static int
wants_free_threaded(const char *request)
{
	size_t n = strlen(request);

	return strstr(request, "freethreaded") ||
	    (n > 1 && request[n - 1] == 't' &&
	        (request[n - 2] >= '0' && request[n - 2] <= '9'));
}

static void
report_uv_failure(const struct interp_spec *spec, const char *what,
    struct proc_result *r, int shown)
{
	const char *err = buf_str(&r->err);
	const char *mirror = getenv("UV_PYTHON_INSTALL_MIRROR");
	char *why = proc_describe(r), *tail;

	if (strstr(err, "No download found for request")) {
		const char *json = getenv("UV_PYTHON_DOWNLOADS_JSON_URL");

		tail = text_tail(err, 3);
		if (json && *json)
			error("%s: uv has no download for request \"%s\" (uv "
			      "says: %s); uv offers what "
			      "UV_PYTHON_DOWNLOADS_JSON_URL=%s lists (`uv "
			      "python list --only-downloads`)",
			    spec->id, spec->request, tail, json);
		else
			error("%s: uv has no download for request \"%s\" (uv "
			      "says: %s); `uv python list --only-downloads` "
			      "shows what this uv offers, and a newer uv knows "
			      "newer releases (`uv self update`)",
			    spec->id, spec->request, tail);
		free(tail);
		free(why);
		return;
	}
	tail = text_tail(*err ? err : buf_str(&r->out), 8);
	if (shown || !*tail)
		error("%s: %s %s failed (%s)%s", spec->id, what, spec->request,
		    why, shown ? "; uv's output is above" : "");
	else
		error("%s: %s %s failed (%s); last lines of its output:\n%s",
		    spec->id, what, spec->request, why, tail);
	if (mirror && *mirror && strstr(what, "install"))
		error("%s: uv downloads from UV_PYTHON_INSTALL_MIRROR=%s",
		    spec->id, mirror);
	free(tail);
	free(why);
}

/* Whether this uv can install without putting pythonX.Y into its bin
 * directory (~/.local/bin): measuring must not change the user's PATH. */
static int
uv_has_no_bin(const char *uv)
{
	const char *args[] = {"python", "install", "--help", NULL};
	struct proc_result r;
	int yes;

	if (uv_run(uv, args, 0, &r) < 0)
		return 0;
	yes = r.exit_status == 0 && strstr(buf_str(&r.out), "--no-bin");
	proc_result_free(&r);
	return yes;
}

static int
uv_install(const char *uv, const struct interp_spec *spec,
    const struct provision_opts *opts)
{
	/* "--": a request is never read as an option */
	const char *args[] = {
	    "python", "install", "--", spec->request, NULL, NULL};
	int tty = isatty(2), rc = -1;
	struct proc_result r;

	if (uv_has_no_bin(uv)) {
		args[2] = "--no-bin";
		args[3] = "--";
		args[4] = spec->request;
	}

	fprintf(stderr, "ftmatrix: %s: uv python install %s\n", spec->id,
	    spec->request);
	if (uv_run(uv, args, tty, &r) < 0)
		return -1;
	if (r.exit_status == 0 && !r.interrupted) {
		if (opts->verbose && r.err.len)
			fputs(buf_str(&r.err), stderr);
		rc = 0;
	} else {
		report_uv_failure(spec, "uv python install", &r, tty);
	}
	proc_result_free(&r);
	return rc;
}

static int
uv_find(const char *uv, const struct interp_spec *spec, char **python)
{
	const char *args[] = {"python", "find", "--managed-python",
	    "--no-project", "--", spec->request, NULL};
	struct proc_result r;
	const char *out;
	int rc = -1;

	if (uv_query(uv, args, &r) < 0)
		return -1;
	out = buf_str(&r.out);
	if (r.exit_status != 0 || !*out) {
		report_uv_failure(spec, "uv python find", &r, 0);
	} else {
		*python = xstrndup(out, strcspn(out, "\r\n"));
		if (path_is_executable(*python)) {
			rc = 0;
		} else {
			error(
			    "%s: uv python find %s printed %s, which is not an "
			    "executable",
			    spec->id, spec->request, *python);
			free(*python);
			*python = NULL;
		}
	}
	proc_result_free(&r);
	return rc;
}

static int
same_file(const char *a, const char *b)
{
	char ra[PATH_MAX], rb[PATH_MAX];

	if (!a || !b)
		return 0;
	if (strcmp(a, b) == 0)
		return 1;
	return realpath(a, ra) && realpath(b, rb) && strcmp(ra, rb) == 0;
}

/* What uv says it installed and where it downloads from, for the
 * identity: "uv cpython-3.13.15+freethreaded-linux-x86_64-gnu (variant
 * freethreaded), mirror file:///m, downloads JSON file:///m/d.json". */
static char *
uv_origin(const char *key, const char *variant)
{
	const char *mirror = getenv("UV_PYTHON_INSTALL_MIRROR");
	const char *json = getenv("UV_PYTHON_DOWNLOADS_JSON_URL");
	struct buf b = {0};

	buf_printf(&b, "uv %s (variant %s)", key ? key : "?",
	    variant ? variant : "?");
	if (mirror && *mirror)
		buf_printf(&b, ", mirror %s", mirror);
	if (json && *json)
		buf_printf(&b, ", downloads JSON %s", json);
	if (!(mirror && *mirror) && !(json && *json))
		buf_puts(&b, ", uv's own downloads (python-build-standalone)");
	return buf_detach(&b);
}

/* Looks the found executable up in uv's own list of installed managed
 * interpreters for the request, so what we measure is what uv says it
 * installed: its key ("cpython-3.13.1+freethreaded-linux-x86_64-gnu") and
 * variant must fit the request. */
static int
uv_confirm(const char *uv, const struct interp_spec *spec, const char *python,
    char **origin)
{
	const char *args[] = {"python", "list", "--managed-python",
	    "--only-installed", "--output-format", "json", "--",
	    spec->request, NULL};
	struct proc_result r;
	struct jv_error jerr;
	json_t *list = NULL;
	size_t i;
	int rc = -1, found = 0;

	if (uv_query(uv, args, &r) < 0)
		return -1;
	if (r.exit_status != 0) {
		char *tail = text_tail(buf_str(&r.err), 2);

		/* an old uv without JSON output: the identity check still runs
		 */
		warn("%s: cannot confirm %s with uv python list: %s", spec->id,
		    python, tail);
		free(tail);
		proc_result_free(&r);
		return 0;
	}
	list = jv_parse(buf_str(&r.out), &jerr);
	if (!jv_is_list(list)) {
		error("%s: uv python list --output-format json printed no JSON "
		      "list (%s)",
		    spec->id, jerr.text);
		goto out;
	}
	for (i = 0; i < jv_len(list); i++) {
		json_t *item = jv_at(list, i);
		const char *path = jv_get_str(item, "path");
		const char *link = jv_get_str(item, "symlink");
		const char *key = jv_get_str(item, "key");
		const char *variant = jv_get_str(item, "variant");
		int ft = variant && strcmp(variant, "freethreaded") == 0;

		if (!same_file(python, path) && !same_file(python, link))
			continue;
		found = 1;
		if (ft != wants_free_threaded(spec->request)) {
			error("%s: uv resolved \"%s\" to %s, a %s build",
			    spec->id, spec->request, key ? key : python,
			    ft ? "free-threaded" : "GIL");
			goto out;
		}
		fprintf(stderr, "ftmatrix: %s: uv gave %s: %s\n", spec->id,
		    key ? key : "?", python);
		*origin = uv_origin(key, variant);
		break;
	}
	if (!found) {
		error(
		    "%s: uv python find %s gave %s, but uv python list does "
		    "not "
		    "show it among the installed interpreters for that request",
		    spec->id, spec->request, python);
		goto out;
	}
	rc = 0;
out:
	jv_free(list);
	proc_result_free(&r);
	return rc;
}

static int
uv_locate(const struct interp_spec *spec, const struct provision_opts *opts,
    char **python, char **origin)
{
	char *uv = uv_path();
	int rc = -1;

	*python = NULL;
	if (!uv) {
		const char *env = getenv("FTMATRIX_UV");

		if (env && *env)
			error("%s: FTMATRIX_UV=%s is not an executable; %s",
			    spec->id, env, UV_HOWTO);
		else
			error("%s: uv is not on PATH; %s", spec->id, UV_HOWTO);
		return -1;
	}
	if (uv_install(uv, spec, opts) == 0 && uv_find(uv, spec, python) == 0 &&
	    uv_confirm(uv, spec, *python, origin) == 0)
		rc = 0;
	if (rc < 0) {
		free(*python);
		*python = NULL;
	}
	free(uv);
	return rc;
}

const struct provider provider_uv = {PROVIDER_UV, uv_locate};
