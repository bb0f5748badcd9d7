#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ftmatrix.h"

#define CV_WARN 0.05

static void
esc(struct buf *b, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '&': buf_puts(b, "&amp;"); break;
		case '<': buf_puts(b, "&lt;"); break;
		case '>': buf_puts(b, "&gt;"); break;
		case '"': buf_puts(b, "&quot;"); break;
		case '\'': buf_puts(b, "&#39;"); break;
		default: buf_add(b, s, 1);
		}
	}
}

/* An element with escaped text: tag may carry attributes ("td class=num"). */
static void
el(struct buf *b, const char *tag, const char *text)
{
	size_t n = strcspn(tag, " ");

	buf_printf(b, "<%s>", tag);
	esc(b, text && *text ? text : "–");
	buf_printf(b, "</%.*s>", (int)n, tag);
}

static void
el_own(struct buf *b, const char *tag, char *text)
{
	el(b, tag, text);
	free(text);
}

static void
swatch(struct buf *b, const struct resultset *rs, size_t i)
{
	buf_printf(b, "<span class=\"who\"><span class=\"swatch\" "
		      "style=\"background:%s\"></span>",
	    chart_colour(i));
	esc(b, report_label(rs, i));
	buf_puts(b, "</span>");
}

static const char *
yes_no(int v)
{
	return v < 0 ? "unknown" : v ? "yes" : "no";
}

/* The GIL as the cells saw it, else as the identity reported it. */
static const char *
gil_runtime(const struct resultset *rs, size_t i)
{
	int on = 0, off = 0;

	for (size_t k = 0; k < rs->ncells; k++) {
		const struct result_cell *c = &rs->cells[k];

		if (strcmp(c->interp, rs->interps[i].id) != 0)
			continue;
		on += c->gil_enabled_after == 1 || c->gil_enabled_before == 1;
		off += c->gil_enabled_after == 0 || c->gil_enabled_before == 0;
	}
	if (on && off)
		return "changed during the run";
	if (on || off)
		return on ? "enabled" : "disabled";
	if (rs->interps[i].identity.gil_enabled >= 0)
		return rs->interps[i].identity.gil_enabled ? "enabled"
							   : "disabled";
	return rs->interps[i].identity.gil_disabled_build ? "unknown"
							  : "enabled";
}

static void
section(struct buf *b, const char *id, const char *title)
{
	buf_printf(b, "\n<section id=\"%s\">\n<h2>", id);
	esc(b, title);
	buf_puts(b, "</h2>\n");
}

static void
kv(struct buf *b, const char *key, const char *value)
{
	buf_puts(b, "<tr>");
	el(b, "th", key);
	el(b, "td", value);
	buf_puts(b, "</tr>\n");
}

static void
machine_html(struct buf *b, const struct resultset *rs)
{
	const struct machine *m = &rs->machine;
	char *s;

	section(b, "machine", "Machine");
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
	kv(b, "Started", rs->created);
	kv(b, "Last updated", rs->updated);
	kv(b, "Matrix", rs->matrix_path ? rs->matrix_path : rs->matrix_name);
	kv(b, "ftmatrix", rs->ftmatrix_version);
	buf_puts(b, "</table></div>\n</section>\n");
}

/* One column per interpreter: identities differ in a few long fields
 * (paths, configure arguments) that read better down than across. */
static void
interps_html(struct buf *b, const struct resultset *rs)
{
	static const char *const rows[] = { "Id", "Version",
		"Free-threaded build", "GIL at run time", "Provider",
		"Executable", "Compiler", "Build date", "Configure arguments",
		NULL };

	section(b, "interpreters", "Interpreters");
	buf_puts(b, "<div class=\"scroll\"><table class=\"ident\">\n<tr><th></th>");
	for (size_t i = 0; i < rs->ninterps; i++) {
		buf_puts(b, "<th>");
		swatch(b, rs, i);
		buf_puts(b, "</th>");
	}
	buf_puts(b, "</tr>\n");
	for (size_t r = 0; rows[r]; r++) {
		buf_puts(b, "<tr>");
		el(b, "th", rows[r]);
		for (size_t i = 0; i < rs->ninterps; i++) {
			const struct result_interp *ri = &rs->interps[i];
			const struct identity *id = &ri->identity;
			const char *v = NULL;

			switch (r) {
			case 0: v = ri->id; break;
			case 1: v = ri->available ? id->version : "not available"; break;
			case 2: v = ri->available ? yes_no(id->gil_disabled_build) : NULL; break;
			case 3: v = ri->available ? gil_runtime(rs, i) : NULL; break;
			case 4:
				el_own(b, "td", xasprintf("%s%s%s",
				    ri->provider ? ri->provider : "?",
				    ri->request ? ": " : "",
				    ri->request ? ri->request : ""));
				continue;
			case 5: v = id->executable; break;
			case 6: v = id->compiler; break;
			case 7: v = id->build_date; break;
			case 8: v = id->config_args; break;
			}
			el(b, r >= 5 ? "td class=\"wrap\"" : "td", v);
		}
		buf_puts(b, "</tr>\n");
	}
	buf_puts(b, "</table></div>\n</section>\n");
}

/* Inlines dir/charts/<name>.svg; its ids get a per-chart prefix because
 * every gnuplot SVG uses the same ones. */
static int
figure(struct buf *b, const char *dir, const char *name, const char *caption)
{
	static int nfig;
	char *rel = xasprintf("charts/%s.svg", name), *path = path_join(dir, rel);
	struct buf svg = { 0 };
	const char *p, *start;

	free(rel);
	if (!path_exists(path) || file_read(path, &svg) < 0) {
		free(path);
		return 0;
	}
	free(path);
	start = strstr(buf_str(&svg), "<svg");
	if (!start) {
		buf_free(&svg);
		return 0;
	}
	nfig++;
	buf_printf(b, "<figure id=\"chart-%s\">\n<div class=\"scroll\">", name);
	for (p = start; *p;) {
		if (strncmp(p, "<title>Gnuplot</title>", 22) == 0) {
			buf_puts(b, "<title>");
			esc(b, caption);
			buf_puts(b, "</title>");
			p += 22;
		} else if (strncmp(p, "url(#", 5) == 0 ||
		    (strchr(" \t\n:", p[-1]) &&
			(strncmp(p, "id='", 4) == 0 ||
			    strncmp(p, "id=\"", 4) == 0 ||
			    strncmp(p, "href='#", 7) == 0 ||
			    strncmp(p, "href=\"#", 7) == 0))) {
			size_t n = strchr(p, '#') && strchr(p, '#') - p < 7
			    ? (size_t)(strchr(p, '#') - p + 1)
			    : 4;

			buf_add(b, p, n);
			buf_printf(b, "f%d-", nfig);
			p += n;
		} else {
			buf_add(b, p++, 1);
		}
	}
	buf_puts(b, "</div>\n<figcaption>");
	esc(b, caption);
	buf_puts(b, "</figcaption>\n</figure>\n");
	buf_free(&svg);
	return 1;
}

static void
charts_html(struct buf *b, const struct resultset *rs,
    const struct analysis *a, const char *dir, int charts_ok)
{
	int shown = 0;

	section(b, "scaling", "Scaling");
	buf_puts(b, "<p>Speedup of each interpreter against itself on one "
		    "thread. Weak scaling gives every thread the same work "
		    "(speedup T1·N/TN); strong scaling splits a fixed amount "
		    "of work (T1/TN). The dashed line is perfect scaling; error "
		    "bars are 95% bootstrap confidence intervals.</p>\n");
	if (!charts_ok)
		buf_puts(b, "<p class=\"notice\">Charts could not be drawn: "
			    "gnuplot failed (its error was printed when the "
			    "report was written). The tables below have every "
			    "number.</p>\n");
	for (size_t w = 0; w < a->nworkloads; w++) {
		char *name = chart_name("scaling", a->workloads[w]);
		char *cap = xasprintf("Speedup vs threads on %s (%s scaling).",
		    a->workloads[w], report_scaling(rs, a->workloads[w]));

		shown += figure(b, dir, name, cap);
		free(name);
		free(cap);
	}
	if (!shown && charts_ok)
		buf_puts(b, "<p class=\"muted\">No multi-thread results to "
			    "chart.</p>\n");
	buf_puts(b, "</section>\n");

	section(b, "overhead", "Single-thread overhead");
	if (a->baseline == SIZE_MAX) {
		buf_puts(b, "<p class=\"muted\">No baseline interpreter, so "
			    "no overhead to show.</p>\n</section>\n");
		return;
	}
	{
		char *cap = xasprintf("Time per run on one thread relative to %s "
				      "(0%% = same speed, positive = slower), "
				      "with 95%% confidence intervals.",
		    report_label(rs, a->baseline));

		buf_puts(b, "<p>");
		esc(b, cap);
		buf_puts(b, "</p>\n");
		if (!figure(b, dir, "overhead", cap) && charts_ok)
			buf_puts(b, "<p class=\"muted\">No single-thread "
				    "results to compare.</p>\n");
		free(cap);
	}
	buf_puts(b, "</section>\n");
}

static char *
ratio_text(int has, double v, double lo, double hi, int percent)
{
	if (!has)
		return xstrdup("–");
	if (percent)
		return xasprintf("%+.1f%% [%+.1f, %+.1f]", (v - 1) * 100,
		    (lo - 1) * 100, (hi - 1) * 100);
	return xasprintf("%.2fx [%.2f, %.2f]", v, lo, hi);
}

static const char *
workload_group(const struct resultset *rs, const char *workload)
{
	for (size_t i = 0; i < rs->ncells; i++)
		if (rs->cells[i].group &&
		    strcmp(rs->cells[i].workload, workload) == 0)
			return rs->cells[i].group;
	return NULL;
}

static void
tables_html(struct buf *b, const struct resultset *rs,
    const struct analysis *a)
{
	section(b, "tables", "Results by workload");
	buf_puts(b, "<p>Median time per run (wall clock of one sample, "
		    "all threads) over every repetition, with the 95% "
		    "bootstrap interval of the median. CV is stdev/mean, in "
		    "red above 5%. Speedup is against the same interpreter "
		    "on one thread. “vs baseline” is time relative to the "
		    "baseline at the same thread count: positive is slower, "
		    "negative faster.</p>\n");
	for (size_t w = 0; w < a->nworkloads; w++) {
		const char *wl = a->workloads[w], *grp = workload_group(rs, wl);
		const char *engines[16];
		size_t nengines = 0, k;

		for (size_t i = 0; i < a->ngroups; i++) {
			if (strcmp(a->groups[i].workload, wl) != 0)
				continue;
			for (k = 0; k < nengines &&
			     strcmp(engines[k], a->groups[i].engine) != 0; k++)
				;
			if (k == nengines && nengines < 16)
				engines[nengines++] = a->groups[i].engine;
		}

		buf_printf(b, "<h3 id=\"w-%zu\">", w);
		esc(b, wl);
		buf_puts(b, "</h3>\n<p class=\"muted\">");
		if (grp) {
			esc(b, grp);
			buf_puts(b, "; ");
		}
		esc(b, report_scaling(rs, wl));
		buf_puts(b, " scaling");
		if (nengines == 1) {
			buf_puts(b, "; engine ");
			esc(b, engines[0]);
		}
		buf_puts(b, "</p>\n<div class=\"scroll\"><table>\n"
			    "<tr><th>Interpreter</th>");
		if (nengines > 1)
			buf_puts(b, "<th>Engine</th>");
		buf_puts(b, "<th class=\"num\">Threads</th><th class=\"num\">n</th>"
			    "<th class=\"num\">Median</th><th class=\"num\">95% CI</th>"
			    "<th class=\"num\">CV</th><th class=\"num\">Speedup</th>"
			    "<th class=\"num\">vs baseline</th>"
			    "<th class=\"num\">Failed runs</th></tr>\n");
		for (size_t i = 0; i < a->ngroups; i++) {
			const struct group *g = &a->groups[i];
			const struct summary *s = &g->wall;

			if (strcmp(g->workload, wl) != 0)
				continue;
			buf_puts(b, "<tr><td>");
			swatch(b, rs, g->interp);
			buf_puts(b, "</td>");
			if (nengines > 1)
				el(b, "td", g->engine);
			buf_printf(b, "<td class=\"num\">%d</td>"
				      "<td class=\"num\">%zu</td>",
			    g->threads, s->n);
			if (s->n) {
				char *lo = report_duration(s->ci_lo, s->median);
				char *hi = report_duration(s->ci_hi, s->median);
				char *ci = xasprintf("%.*s – %s",
				    (int)strcspn(lo, " "), lo, hi);

				el_own(b, "td class=\"num\"",
				    report_duration(s->median, -1));
				el_own(b, "td class=\"num\"", ci);
				el_own(b, s->cv > CV_WARN ? "td class=\"num hi\""
							  : "td class=\"num\"",
				    xasprintf("%.1f%%", s->cv * 100));
				free(lo);
				free(hi);
			} else {
				buf_puts(b, "<td class=\"num\">–</td>"
					    "<td class=\"num\">–</td>"
					    "<td class=\"num\">–</td>");
			}
			if (g->threads == 1)
				el(b, "td class=\"num muted\"", "reference");
			else
				el_own(b, "td class=\"num\"",
				    ratio_text(g->has_speedup, g->speedup,
					g->speedup_lo, g->speedup_hi, 0));
			if (g->interp == a->baseline)
				el(b, "td class=\"num muted\"", "baseline");
			else
				el_own(b, "td class=\"num\"",
				    ratio_text(g->has_overhead, g->overhead,
					g->overhead_lo, g->overhead_hi, 1));
			if (g->nfailed)
				el_own(b, "td class=\"num hi\"",
				    xasprintf("%zu of %zu", g->nfailed,
					g->ncells));
			else
				el(b, "td class=\"num muted\"", "none");
			buf_puts(b, "</tr>\n");
		}
		buf_puts(b, "</table></div>\n");
	}
	buf_puts(b, "</section>\n");
}

static void
warning(struct buf *b, size_t *n, const char *kind, char *text)
{
	buf_puts(b, "<li><span class=\"kind\">");
	esc(b, kind);
	buf_puts(b, ":</span> ");
	esc(b, text);
	buf_puts(b, "</li>\n");
	free(text);
	(*n)++;
}

static const char *
onoff(int v)
{
	return v < 0 ? "unknown" : v ? "on" : "off";
}

/* Everything a reader should doubt before trusting a number. */
static size_t
warnings_collect(struct buf *b, const struct resultset *rs,
    const struct analysis *a)
{
	const char *gov = rs->machine.governor;
	size_t n = 0;

	if (!rs->complete)
		warning(b, &n, "incomplete",
		    xasprintf("the run did not finish; %zu cells were "
			      "recorded. Running the same command again "
			      "resumes it.",
			rs->ncells));
	for (size_t i = 0; i < rs->ninterps; i++)
		if (!rs->interps[i].available)
			warning(b, &n, "unavailable",
			    xasprintf("%s: %s", rs->interps[i].id,
				rs->interps[i].error ? rs->interps[i].error
						     : "no reason recorded"));
	if (rs->baseline && a->baseline == SIZE_MAX)
		warning(b, &n, "baseline",
		    xasprintf("baseline %s has no results; overhead is not "
			      "computed",
			rs->baseline));
	for (size_t i = 0; i < rs->ncells; i++) {
		const struct result_cell *c = &rs->cells[i];

		if (strcmp(c->status, "ok") != 0)
			warning(b, &n, c->status,
			    xasprintf("%s: %s", c->key,
				c->error ? c->error : "no error recorded"));
		if (c->gil_enabled_before >= 0 && c->gil_enabled_after >= 0 &&
		    c->gil_enabled_before != c->gil_enabled_after)
			warning(b, &n, "GIL changed",
			    xasprintf("%s: the GIL was %s before the workload "
				      "and %s after it (an extension module "
				      "may have re-enabled it)",
				c->key, onoff(c->gil_enabled_before),
				onoff(c->gil_enabled_after)));
	}
	for (size_t i = 0; i < a->ngroups; i++) {
		const struct group *g = &a->groups[i];

		if (g->wall.n > 1 && g->wall.cv > CV_WARN)
			warning(b, &n, "noisy",
			    xasprintf("%s, %s, %s, %d thread%s: CV %.1f%% "
				      "(above 5%%); treat its differences "
				      "with care",
				report_label(rs, g->interp), g->workload,
				g->engine, g->threads,
				g->threads == 1 ? "" : "s", g->wall.cv * 100));
	}
	if (gov && strcmp(gov, "performance") != 0 &&
	    strcmp(gov, "unknown") != 0)
		warning(b, &n, "frequency scaling",
		    xasprintf("the CPU governor was \"%s\"; \"performance\" "
			      "gives steadier numbers",
			gov));
	if (rs->machine.cores > 0 && rs->machine.loadavg1 > rs->machine.cores / 2.0)
		warning(b, &n, "busy machine",
		    xasprintf("load average %.2f on %d cores when the run "
			      "started",
			rs->machine.loadavg1, rs->machine.cores));
	return n;
}

static void
reproduce_html(struct buf *b, const struct resultset *rs)
{
	section(b, "reproduce", "Reproduce");
	buf_puts(b, "<p>Run the same matrix again:</p>\n<pre><code>");
	esc(b, rs->command ? rs->command : "(command not recorded)");
	buf_puts(b, "</code></pre>\n<p>Redraw this report from the saved "
		    "results without measuring anything:</p>\n<pre><code>"
		    "ftmatrix report results.json</code></pre>\n");
	if (rs->matrix_text) {
		buf_puts(b, "<details><summary>Matrix as run (");
		esc(b, rs->matrix_path ? rs->matrix_path : "matrix");
		buf_puts(b, ")</summary>\n<pre><code>");
		esc(b, rs->matrix_text);
		buf_puts(b, "</code></pre></details>\n");
	}
	buf_puts(b, "</section>\n");
}

/* Fills {{name}} markers of the shell; the values are already HTML. */
static char *
fill_template(const char *tpl, const char *const *vars)
{
	struct buf out = { 0 };
	const char *p = tpl, *q;

	while ((q = strstr(p, "{{"))) {
		const char *end = strstr(q, "}}");
		size_t i;

		buf_add(&out, p, q - p);
		for (i = 0; end && vars[i]; i += 2)
			if (strlen(vars[i]) == (size_t)(end - q - 2) &&
			    strncmp(q + 2, vars[i], end - q - 2) == 0)
				break;
		if (end && vars[i]) {
			buf_puts(&out, vars[i + 1]);
			p = end + 2;
		} else {
			buf_add(&out, q, 2);
			p = q + 2;
		}
	}
	buf_puts(&out, p);
	return buf_detach(&out);
}

int
report_html(const struct resultset *rs, const struct analysis *a,
    const char *dir, int charts_ok, const char *path)
{
	char *tpl_path = path_join(data_dir(), "reports/report.html");
	char *css_path = path_join(data_dir(), "reports/style.css");
	struct buf tpl = { 0 }, css = { 0 }, body = { 0 }, warn = { 0 };
	struct buf title = { 0 };
	size_t nh, nwarn;
	char **h, *html;
	int rc = -1;

	if (file_read(tpl_path, &tpl) < 0 || file_read(css_path, &css) < 0) {
		error("report templates not found under %s; set "
		      "FTMATRIX_DATADIR to the directory holding reports/",
		    data_dir());
		goto out;
	}
	buf_puts(&title, "ftmatrix: ");
	esc(&title, rs->matrix_name ? rs->matrix_name : "results");

	buf_puts(&body, "<header>\n<h1>Free-threaded vs GIL CPython: ");
	esc(&body, rs->matrix_name ? rs->matrix_name : "results");
	buf_puts(&body, "</h1>\n<p class=\"meta\">");
	esc(&body, rs->machine.cpu_model);
	buf_printf(&body, ", %d cores · ", rs->machine.cores);
	esc(&body, rs->updated ? rs->updated : rs->created);
	buf_printf(&body, " · %zu interpreter%s, %zu workload%s, %zu cells%s</p>\n",
	    rs->ninterps, rs->ninterps == 1 ? "" : "s", a->nworkloads,
	    a->nworkloads == 1 ? "" : "s", rs->ncells,
	    rs->complete ? "" : " (incomplete)");
	buf_puts(&body, "<nav>\n<a href=\"#summary\">Summary</a>\n"
		       "<a href=\"#machine\">Machine</a>\n"
		       "<a href=\"#interpreters\">Interpreters</a>\n"
		       "<a href=\"#scaling\">Scaling</a>\n"
		       "<a href=\"#overhead\">Overhead</a>\n"
		       "<a href=\"#tables\">Tables</a>\n"
		       "<a href=\"#warnings\">Warnings</a>\n"
		       "<a href=\"#reproduce\">Reproduce</a>\n</nav>\n</header>\n");

	nwarn = warnings_collect(&warn, rs, a);
	section(&body, "summary", "Summary");
	h = report_headlines(rs, a, &nh);
	buf_puts(&body, "<ul class=\"headlines\">\n");
	for (size_t i = 0; i < nh; i++) {
		el(&body, "li", h[i]);
		buf_puts(&body, "\n");
		free(h[i]);
	}
	if (!nh)
		buf_puts(&body, "<li>No successful measurements to "
			       "summarise.</li>\n");
	free(h);
	buf_puts(&body, "</ul>\n");
	if (nwarn)
		buf_printf(&body, "<p class=\"notice\">%zu warning%s: "
				  "<a href=\"#warnings\">read them</a> before "
				  "relying on these numbers.</p>\n",
		    nwarn, nwarn == 1 ? "" : "s");
	buf_puts(&body, "</section>\n");

	machine_html(&body, rs);
	interps_html(&body, rs);
	charts_html(&body, rs, a, dir, charts_ok);
	tables_html(&body, rs, a);
	section(&body, "warnings", "Warnings");
	if (nwarn)
		buf_printf(&body, "<ul class=\"warnings\">\n%s</ul>\n",
		    buf_str(&warn));
	else
		buf_puts(&body, "<p>None.</p>\n");
	buf_puts(&body, "</section>\n");
	reproduce_html(&body, rs);

	{
		const char *vars[] = { "title", buf_str(&title), "style",
			buf_str(&css), "body", buf_str(&body), "version",
			FTMATRIX_VERSION, NULL };

		html = fill_template(buf_str(&tpl), vars);
	}
	rc = file_write_atomic(path, html, strlen(html));
	free(html);
out:
	buf_free(&tpl);
	buf_free(&css);
	buf_free(&body);
	buf_free(&warn);
	buf_free(&title);
	free(tpl_path);
	free(css_path);
	return rc;
}
