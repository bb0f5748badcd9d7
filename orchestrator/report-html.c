#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ftmatrix.h"

#define CV_WARN 0.05

static const char *
yes_no(int v)
{
	return v < 0 ? "unknown" : v ? "yes" : "no";
}

static void
kv(struct buf *b, const char *key, const char *value)
{
	buf_puts(b, "<tr>");
	html_el(b, "th", key);
	html_el(b, "td", value);
	buf_puts(b, "</tr>\n");
}

/* A merged file's machines, one table each with the workloads measured
 * there: each ratio is within one of them. */
static void
hosts_html(struct buf *b, const struct resultset *rs)
{
	html_section(b, "machine", "Machines");
	html_el(b, "p",
	    "The shards ran on different machines. Every workload was "
	    "measured on one of them, so each overhead and speedup is a "
	    "ratio within one machine; times of workloads measured on "
	    "different machines are not comparable.");
	for (size_t i = 0; i < rs->nhosts; i++) {
		const struct result_host *h = &rs->hosts[i];
		struct buf list = {0};
		char *s;

		s = xasprintf("Machine %zu: %s", i + 1,
		    h->machine.hostname ? h->machine.hostname : "unknown host");
		html_el_own(b, "h3", s);
		buf_puts(b, "<div class=\"scroll\"><table class=\"kv\">\n");
		kv(b, "CPU", h->machine.cpu_model);
		s = xasprintf("%d", h->machine.cores);
		kv(b, "Cores online", s);
		free(s);
		kv(b, "Kernel", h->machine.kernel);
		kv(b, "Frequency governor", h->machine.governor);
		for (size_t k = 0; k < h->nshards; k++)
			buf_printf(&list, "%s%d", k ? ", " : "", h->shards[k]);
		kv(b, "Shards", buf_str(&list));
		buf_free(&list);
		for (size_t w = 0; w < h->nworkloads; w++)
			buf_printf(&list, "%s%s", w ? ", " : "", h->workloads[w]);
		kv(b, "Workloads", buf_str(&list));
		buf_free(&list);
		buf_puts(b, "</table></div>\n");
	}
	buf_puts(b, "</section>\n");
}

static void
machine_html(struct buf *b, const struct resultset *rs)
{
	const struct machine *m = &rs->machine;
	char *s;

	if (rs->nhosts > 1) {
		hosts_html(b, rs);
		return;
	}
	html_section(b, "machine", "Machine");
	buf_puts(b, "<div class=\"scroll\"><table class=\"kv\">\n");
	kv(b, "CPU", m->cpu_model);
	s = xasprintf("%d", m->cores);
	kv(b, "Cores online", s);
	free(s);
	kv(b, "Kernel", m->kernel);
	kv(b, "Frequency governor", m->governor);
	kv(b, "Host", m->hostname);
	s = xasprintf("%.2f", m->loadavg1);
	kv(b, "Load average (1 min) at start", s);
	free(s);
	if (rs->preflight.ran && rs->preflight.others_busy >= 0) {
		s = xasprintf("%.0f%% of the CPUs' time during a pause",
		    rs->preflight.others_busy * 100);
		kv(b, "Other processes at start", s);
		free(s);
	}
	if (rs->preflight.ran && rs->preflight.spread_n) {
		s = xasprintf("CV %.2f%% over %d runs",
		    rs->preflight.spread_cv * 100, rs->preflight.spread_n);
		kv(b, "A fixed CPU loop at start", s);
		free(s);
	}
	kv(b, "Started", rs->created);
	kv(b, "Last updated", rs->updated);
	kv(b, "Matrix", rs->matrix_path ? rs->matrix_path : rs->matrix_name);
	kv(b, "ftmatrix", rs->ftmatrix_version);
	buf_puts(b, "</table></div>\n</section>\n");
}

/* One column per interpreter: identities differ in a few long fields
 * (paths, configure arguments) that read better down than across. */
static void
interps_html(struct buf *b, const struct report *r)
{
	static const char *const rows[] = {"Id", "Version", "Implementation",
	    "Free-threaded build", "GIL at run time", "ABI flags", "Provider",
	    "Executable", "libpython", "Compiler", "Build date",
	    "Configure arguments", NULL};
	const struct resultset *rs = r->rs;

	html_section(b, "interpreters", "Interpreters");
	buf_puts(b,
	    "<div class=\"scroll\"><table class=\"ident\">\n"
	    "<thead><tr><th></th>");
	for (size_t i = 0; i < rs->ninterps; i++) {
		buf_puts(b, "<th>");
		html_swatch(b, r, i);
		buf_puts(b, "</th>");
	}
	buf_puts(b, "</tr></thead>\n<tbody>\n");
	for (size_t k = 0; rows[k]; k++) {
		buf_puts(b, "<tr>");
		html_el(b, "th", rows[k]);
		for (size_t i = 0; i < rs->ninterps; i++) {
			const struct result_interp *ri = &rs->interps[i];
			const struct identity *id = &ri->identity;
			const char *v = NULL;

			switch (k) {
			case 0:
				v = ri->id;
				break;
			case 1:
				v = ri->available ? id->version
				                  : "not available";
				break;
			case 2:
				v = id->implementation;
				break;
			case 3:
				v = ri->available
				    ? yes_no(id->gil_disabled_build)
				    : NULL;
				break;
			case 4:
				if (!ri->available)
					break;
				html_el_own(b, "td", report_gil_runtime(r, i));
				continue;
			case 5:
				v = ri->available
				    ? (id->abiflags && *id->abiflags
				              ? id->abiflags
				              : "(none)")
				    : NULL;
				break;
			case 6:
				html_el_own(b, "td class=\"wrap\"",
				    xasprintf("%s%s%s%s%s",
				        ri->provider ? ri->provider : "?",
				        ri->request ? ": " : "",
				        ri->request ? ri->request : "",
				        ri->origin ? "; from " : "",
				        ri->origin ? ri->origin : ""));
				continue;
			case 7:
				v = ri->available ? id->executable : ri->error;
				break;
			case 8:
				if (id->libpython && !*id->libpython &&
				    id->ldlibrary) {
					html_el_own(b, "td class=\"wrap\"",
					    xasprintf("none: linked statically "
					              "(%s)",
					        id->ldlibrary));
					continue;
				}
				v = id->libpython ? id->libpython
				                  : id->ldlibrary;
				break;
			case 9:
				v = id->compiler;
				break;
			case 10:
				v = id->build_date;
				break;
			case 11:
				v = id->config_args;
				break;
			}
			html_el(b, k >= 7 ? "td class=\"wrap\"" : "td", v);
		}
		buf_puts(b, "</tr>\n");
	}
	buf_puts(b, "</tbody></table></div>\n</section>\n");
}

static void
warning_item(struct buf *b, const struct report_warning *w)
{
	buf_puts(b, "<li><span class=\"kind\">");
	html_esc(b, w->label);
	buf_puts(b, ":</span> ");
	html_esc(b, w->text);
	if (w->more) {
		buf_puts(b,
		    "<details><summary>last lines of its output"
		    "</summary><pre><code>");
		html_esc(b, w->more);
		buf_puts(b, "</code></pre></details>");
	}
	buf_puts(b, "</li>\n");
}

/* Noise in a paragraph, per interpreter, and every noisy group in a
 * folded table, noisiest first; when nothing measured is noisy, a line
 * that says so, so that the section's shape does not depend on luck. */
static void
noise_html(struct buf *b, const struct report *r)
{
	const struct resultset *rs = r->rs;
	size_t nnoisy = r->nwarnings_of[WARN_NOISY], ngroups = 0;
	size_t *per = xcalloc(rs->ninterps + 1, sizeof(*per));

	for (size_t i = 0; i < r->a.ngroups; i++)
		ngroups += r->a.groups[i].wall.n > 0 &&
		    report_timed(r, r->a.groups[i].workload);
	for (size_t k = 0; k < r->nwarnings; k++)
		if (r->warnings[k].kind == WARN_NOISY)
			per[r->warnings[k].group->interp]++;
	if (!ngroups || !nnoisy) {
		if (ngroups)
			buf_printf(b,
			    "<h3 id=\"noise\">Noisy measurements</h3>\n"
			    "<p>None of the %zu measured groups varies more "
			    "than a number to rely on should (a CV above "
			    "%.0f%% or a 95%% confidence interval of the "
			    "median wider than ±%.0f%%).</p>\n",
			    ngroups, STATS_CV_MAX * 100, STATS_CI_MAX * 100);
		free(per);
		return;
	}
	buf_printf(b,
	    "<h3 id=\"noise\">Noisy measurements</h3>\n<p>%zu of %zu "
	    "measured groups (one interpreter, workload, engine and thread "
	    "count) vary more than a number to rely on should: a CV above "
	    "%.0f%% or a 95%% confidence interval of the median wider than "
	    "±%.0f%%. By interpreter: ",
	    nnoisy, ngroups, STATS_CV_MAX * 100, STATS_CI_MAX * 100);
	for (size_t i = 0, n = 0; i < rs->ninterps; i++) {
		if (!per[i])
			continue;
		buf_puts(b, n++ ? ", " : "");
		html_swatch(b, r, i);
		buf_printf(b, " %zu", per[i]);
	}
	buf_puts(b,
	    ". Their numbers stand in the tables (CV in red above 5%); more "
	    "repetitions, CPU pinning (--affinity) or a quieter machine "
	    "steady them.</p>\n");
	buf_printf(b,
	    "<details class=\"more\"><summary>Every noisy group (%zu), "
	    "noisiest first</summary>\n",
	    nnoisy);
	html_noisy_table(b, r);
	buf_puts(b, "</details>\n");
	free(per);
}

/* The few warnings that matter first, in a list; the noise after them,
 * summarised, with every noisy group a click away. */
static void
warnings_html(struct buf *b, const struct report *r)
{
	size_t nnoisy = r->nwarnings_of[WARN_NOISY];

	html_section(b, "warnings", "Warnings");
	if (r->nwarnings > nnoisy) {
		buf_puts(b, "<ul class=\"warnings\">\n");
		for (size_t k = 0; k < r->nwarnings; k++)
			if (r->warnings[k].kind != WARN_NOISY)
				warning_item(b, &r->warnings[k]);
		buf_puts(b, "</ul>\n");
		if (r->nwarnings_of[WARN_CHECK_CRASHED])
			buf_puts(b,
			    "<p class=\"muted\">A known-limitation check "
			    "runs in a process of its own so that a crash is "
			    "its result: each one above is shown as a "
			    "<b>crash</b> under <a href=\"#findings\">Known "
			    "limitations</a>.</p>\n");
	} else {
		buf_puts(b,
		    "<p>No failed cells, missing interpreters, GIL changes "
		    "or warnings about the machine.</p>\n");
	}
	noise_html(b, r);
	buf_puts(b, "</section>\n");
}

/* The user's modules as they were measured */
static void
reproduce_modules(struct buf *b, const struct resultset *rs)
{
	size_t n, i;
	struct workload_file *f = workload_files_load(rs->workload_files, &n);

	for (i = 0; i < n; i++) {
		buf_puts(b, "<details><summary>Workload ");
		html_esc(b, f[i].name);
		buf_puts(b, " as measured (");
		html_esc(b, f[i].path);
		buf_printf(
		    b, ", sha256 %.64s)</summary>\n<pre><code>", f[i].sha256);
		html_esc(b, f[i].text ? f[i].text : "(not UTF-8 text)");
		buf_puts(b, "</code></pre></details>\n");
	}
	workload_files_free(f, n);
}

static void
reproduce_html(struct buf *b, const struct resultset *rs)
{
	html_section(b, "reproduce", "Reproduce");
	buf_puts(b, "<p>Run the same matrix again:</p>\n<pre><code>");
	html_esc(b,
	    rs->command && *rs->command ? rs->command
	                                : "(command not recorded)");
	buf_puts(b,
	    "</code></pre>\n<p>Redraw this report from the saved "
	    "results without measuring anything:</p>\n<pre><code>"
	    "ftmatrix report results.json</code></pre>\n");
	if (rs->matrix_text) {
		buf_puts(b, "<details><summary>Matrix as run (");
		html_esc(b, rs->matrix_path ? rs->matrix_path : "matrix");
		buf_puts(b, ")</summary>\n<pre><code>");
		html_esc(b, rs->matrix_text);
		buf_puts(b, "</code></pre></details>\n");
	}
	if (rs->overrides) {
		buf_puts(b,
		    "<p>The command line made or changed the matrix: "
		    "<code>");
		html_esc(b, rs->overrides);
		buf_puts(b, "</code> (the matrix as run includes it).</p>\n");
	}
	reproduce_modules(b, rs);
	buf_puts(b, "</section>\n");
}

/* One sentence per case, its cause named for readers who skim and for
 * tests. */
static void
why_html(struct buf *b, const struct report *r)
{
	struct diagnosis *d;
	size_t n;

	if (r->a.nthreads < 2)
		return;
	diagnosis_make(r, &d, &n);
	html_section(b, "why", "Why these do not scale");
	if (!n)
		buf_puts(b,
		    "<p>Every timed workload reaches at least three quarters "
		    "of its thread count on the interpreters that ran without "
		    "the GIL, or none did.</p>\n");
	else
		buf_puts(b,
		    "<p>Each case is an interpreter without the GIL whose "
		    "speedup at its highest thread count falls well short of "
		    "it, with what the run measured about why.</p>\n"
		    "<ul class=\"why\">\n");
	for (size_t i = 0; i < n; i++) {
		buf_printf(b, "<li data-cause=\"%s\">",
		    diagnosis_cause_name(d[i].cause));
		html_esc(b, d[i].text);
		buf_puts(b, "</li>\n");
	}
	buf_puts(b, n ? "</ul>\n</section>\n" : "</section>\n");
	diagnosis_free(d, n);
}

static void
nav_html(struct buf *b, const struct report *r)
{
	buf_puts(b,
	    "<nav>\n<a href=\"#summary\">Summary</a>\n");
	if (r->a.nthreads > 1)
		buf_puts(b, "<a href=\"#why\">Why</a>\n");
	buf_puts(b,
	    "<a href=\"#machine\">Machine</a>\n"
	    "<a href=\"#interpreters\">Interpreters</a>\n"
	    "<a href=\"#overhead\">Overhead</a>\n"
	    "<a href=\"#scaling\">Scaling</a>\n"
	    "<a href=\"#latency\">Latency</a>\n");
	buf_puts(b,
	    "<a href=\"#memory\">Memory</a>\n"
	    "<a href=\"#tables\">Tables</a>\n");
	if (r->nfindings)
		buf_puts(b, "<a href=\"#findings\">Limitations</a>\n");
	if (r->nmetrics)
		buf_puts(b, "<a href=\"#metrics\">C-level</a>\n");
	buf_puts(b,
	    "<a href=\"#warnings\">Warnings</a>\n"
	    "<a href=\"#reproduce\">Reproduce</a>\n</nav>\n");
}

/* The title speaks of free threading only when a build in the run is. */
static int
any_free_threaded(const struct resultset *rs)
{
	for (size_t i = 0; i < rs->ninterps; i++)
		if (rs->interps[i].available &&
		    rs->interps[i].identity.gil_disabled_build == 1)
			return 1;
	return 0;
}

int
report_html(
    const struct report *r, const char *dir, int charts_ok, const char *path)
{
	const struct resultset *rs = r->rs;
	const char *name = rs->matrix_name ? rs->matrix_name : "results";
	struct buf body = {0};
	size_t nh, navail = 0;
	char **h, *title;
	int rc;

	for (size_t i = 0; i < rs->ninterps; i++)
		navail += rs->interps[i].available;
	buf_puts(&body, any_free_threaded(rs)
	        ? "<header>\n<h1>Free-threaded vs GIL CPython: "
	        : "<header>\n<h1>CPython: ");
	html_esc(&body, name);
	buf_puts(&body, "</h1>\n<p class=\"meta\">");
	if (rs->nhosts > 1)
		buf_printf(&body, "%zu machines (see Machines) · ", rs->nhosts);
	else {
		html_esc(&body, rs->machine.cpu_model ? rs->machine.cpu_model
						      : "unknown CPU");
		buf_printf(&body, ", %d cores · ", rs->machine.cores);
	}
	html_esc(&body, rs->updated ? rs->updated : rs->created);
	buf_printf(&body,
	    " · %zu of %zu interpreters, %zu workload%s, %zu cells%s</p>\n",
	    navail, rs->ninterps, r->a.nworkloads,
	    r->a.nworkloads == 1 ? "" : "s", rs->ncells,
	    rs->complete ? "" : " (incomplete)");
	nav_html(&body, r);
	buf_puts(&body, "</header>\n");

	html_section(&body, "summary", "Summary");
	h = report_headlines(r, &nh);
	buf_puts(&body, "<ul class=\"headlines\">\n");
	for (size_t i = 0; i < nh; i++) {
		html_el(&body, "li", h[i]);
		buf_puts(&body, "\n");
		free(h[i]);
	}
	if (!nh)
		buf_puts(&body,
		    "<li>No successful measurements to "
		    "summarise.</li>\n");
	free(h);
	buf_puts(&body, "</ul>\n");
	h = report_method_sentences(r, &nh);
	for (size_t i = 0; i < nh; i++) {
		html_el(&body, "p class=\"method\"", h[i]);
		buf_puts(&body, "\n");
		free(h[i]);
	}
	free(h);
	report_warnings_notice(&body, r, html_esc,
	    "<p class=\"notice\">Warnings: ",
	    ". <a href=\"#warnings\">Read them</a> before relying on these "
	    "numbers.</p>\n");
	buf_puts(&body, "</section>\n");

	why_html(&body, r);
	machine_html(&body, rs);
	interps_html(&body, r);
	html_results(&body, r, dir, charts_ok);
	warnings_html(&body, r);
	reproduce_html(&body, rs);

	title = xasprintf("ftmatrix: %s", name);
	rc = html_page(path, title, buf_str(&body), r->style.theme);
	free(title);
	buf_free(&body);
	return rc;
}
