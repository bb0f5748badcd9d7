#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ftmatrix.h"

/*
 * Beyond time per run, what a release changes: the memory a workload
 * holds (PSS, averaged over the run and over probe processes, as the
 * report shows it) and the outcome of each known-limitation check (the
 * worst of its runs). Both come from each file's report, so compare says
 * what the two reports say, side by side.
 */

static void
mem_rows(struct compare_pair *p, const struct report *ra,
    const struct report *rb, size_t ia)
{
	for (size_t g = 0; g < ra->a.ngroups; g++) {
		const struct group *ga = &ra->a.groups[g];
		size_t ib = p->b_of_a[ga->interp];
		const struct group_extra *xa = &ra->gx[g], *xb;
		struct compare_mem_row *m;

		if (ga->interp != ia || ib == SIZE_MAX || !xa->pss.present ||
		    !report_timed(ra, ga->workload))
			continue;
		xb = report_gx(rb, analysis_find(&rb->a, ib, ga->workload,
		                       ga->engine, ga->threads));
		if (!xb || !xb->pss.present || xa->pss.avg <= 0)
			continue;
		p->mem = xreallocarray(p->mem, p->nmem + 1, sizeof(*p->mem));
		m = &p->mem[p->nmem++];
		m->ia = ga->interp;
		m->ib = ib;
		m->workload = ga->workload;
		m->engine = ga->engine;
		m->threads = ga->threads;
		m->pss_a = xa->pss.avg;
		m->pss_b = xb->pss.avg;
	}
}

static const struct finding_row *
finding_of(const struct report *r, const char *id)
{
	for (size_t k = 0; k < r->nfindings; k++)
		if (strcmp(r->findings[k].id, id) == 0)
			return &r->findings[k];
	return NULL;
}

static void
finding_rows(struct compare_pair *p, const struct report *ra,
    const struct report *rb)
{
	for (size_t i = 0; i < p->a->ninterps; i++) {
		size_t ib = p->b_of_a[i];

		for (size_t k = 0; ib != SIZE_MAX && k < ra->nfindings; k++) {
			const struct finding_row *fa = &ra->findings[k];
			const struct finding_row *fb = finding_of(rb, fa->id);
			struct compare_finding_row *f;

			if (!fa->per_interp[i].outcome || !fb ||
			    !fb->per_interp[ib].outcome)
				continue;
			p->finds = xreallocarray(
			    p->finds, p->nfinds + 1, sizeof(*p->finds));
			f = &p->finds[p->nfinds++];
			f->ia = i;
			f->ib = ib;
			f->id = fa->id;
			f->title = fa->title ? fa->title : fb->title;
			f->outcome_a = fa->per_interp[i].outcome;
			f->outcome_b = fb->per_interp[ib].outcome;
			f->summary_b = fb->per_interp[ib].summary;
		}
	}
}

void
compare_extras_make(struct compare_pair *p, const struct report *ra,
    const struct report *rb)
{
	/* by interpreter, then in the first file's order, as the timings */
	for (size_t i = 0; i < p->a->ninterps; i++)
		mem_rows(p, ra, rb, i);
	finding_rows(p, ra, rb);
}

void
compare_extras_free(struct compare_pair *p)
{
	free(p->mem);
	free(p->finds);
	p->mem = NULL;
	p->finds = NULL;
	p->nmem = p->nfinds = 0;
}

char *
compare_mem_change_text(const struct compare_mem_row *m)
{
	return xasprintf("%+.1f%%", (m->pss_b / m->pss_a - 1) * 100);
}

/* "3.13.15t → 3.13.16t (B against A): memory (PSS) median change +1.2%
 * over 4 comparisons; known-limitation checks changed: shared_iterator
 * issue → ok." NULL when there is neither. */
char *
compare_extras_sentence(const struct compare_pair *p, size_t ia, char tag)
{
	struct buf s = {0}, changed = {0};
	double *x = xcalloc(p->nmem + 1, sizeof(*x));
	size_t n = 0, nchanged = 0, nsame = 0;
	char *who;

	for (size_t k = 0; k < p->nmem; k++)
		if (p->mem[k].ia == ia)
			x[n++] = p->mem[k].pss_b / p->mem[k].pss_a;
	for (size_t k = 0; k < p->nfinds; k++) {
		const struct compare_finding_row *f = &p->finds[k];

		if (f->ia != ia)
			continue;
		if (strcmp(f->outcome_a, f->outcome_b) == 0) {
			nsame++;
			continue;
		}
		buf_printf(&changed, "%s%s %s → %s", nchanged ? ", " : "",
		    f->id, f->outcome_a, f->outcome_b);
		nchanged++;
	}
	if (!n && !nchanged && !nsame) {
		free(x);
		return NULL;
	}
	who = compare_series(p, ia);
	buf_printf(&s, "%s (%c against A): ", who, tag);
	if (n)
		buf_printf(&s,
		    "memory (PSS) median change %+.1f%% over %zu "
		    "comparison%s",
		    (stats_percentile(x, n, 50) - 1) * 100, n, n == 1 ? "" : "s");
	if (nchanged)
		buf_printf(&s, "%sknown-limitation check%s changed: %s",
		    n ? "; " : "", nchanged == 1 ? "" : "s", changed.data);
	if (nsame)
		buf_printf(&s, "%s%zu known-limitation check%s unchanged",
		    n || nchanged ? "; " : "", nsame, nsame == 1 ? "" : "s");
	buf_puts(&s, ".");
	free(who);
	free(x);
	buf_free(&changed);
	return buf_detach(&s);
}

void
compare_extras_print(const struct compare_pair *p, char tag)
{
	size_t wi = 11, ww = 8, we = 6;

	for (size_t r = 0; r < p->nmem; r++) {
		char *who = compare_series(p, p->mem[r].ia);

		wi = fmax(wi, utf8_columns(who));
		ww = fmax(ww, strlen(p->mem[r].workload));
		we = fmax(we, strlen(p->mem[r].engine));
		free(who);
	}
	for (size_t r = 0; r < p->nfinds; r++) {
		char *who = compare_series(p, p->finds[r].ia);

		wi = fmax(wi, utf8_columns(who));
		ww = fmax(ww, strlen(p->finds[r].id));
		free(who);
	}
	if (p->nmem) {
		term_printf("\nmemory of %c against A (PSS, average over the run "
		       "and over probe processes)\n\n",
		    tag);
		term_printf("%-*s  %-*s  %-*s  %7s  %10s  %10s  %s\n", (int)wi,
		    "interpreter", (int)ww, "workload", (int)we, "engine",
		    "threads", "A", (char[]){tag, 0}, "change");
	}
	for (size_t r = 0; r < p->nmem; r++) {
		const struct compare_mem_row *m = &p->mem[r];
		char *who = compare_series(p, m->ia);
		char *ka = format_kib(m->pss_a), *kb = format_kib(m->pss_b);
		char *ch = compare_mem_change_text(m);

		term_printf("%-*s  %-*s  %-*s  %7d  %10s  %10s  %s\n",
		    utf8_field(who, wi), who, (int)ww,
		    m->workload, (int)we, m->engine, m->threads, ka, kb, ch);
		free(who);
		free(ka);
		free(kb);
		free(ch);
	}
	if (p->nfinds) {
		term_printf("\nknown-limitation checks of %c against A (the worst "
		       "outcome of every run)\n\n",
		    tag);
		term_printf("%-*s  %-*s  %-11s  %c\n", (int)wi, "interpreter",
		    (int)ww, "check", "A", tag);
	}
	for (size_t r = 0; r < p->nfinds; r++) {
		const struct compare_finding_row *f = &p->finds[r];
		char *who = compare_series(p, f->ia);

		term_printf("%-*s  %-*s  %-11s  %-11s  %s\n",
		    utf8_field(who, wi), who, (int)ww, f->id,
		    f->outcome_a, f->outcome_b,
		    strcmp(f->outcome_a, f->outcome_b) ? "changed" : "same");
		free(who);
	}
}

static const struct compare_mem_row *
mem_row(const void *ctx, size_t i)
{
	return &((const struct compare_html_rows *)ctx)->p->mem[i];
}

static const struct compare_finding_row *
find_row(const void *ctx, size_t i)
{
	return &((const struct compare_html_rows *)ctx)->p->finds[i];
}

/* The row's member at offset off. */
static const void *
row_at(const struct compare_html_rows *t, size_t i, size_t off)
{
	return t->rows + i * t->stride + off;
}

void
compare_cell_who(struct buf *b, const void *ctx, size_t i, size_t arg)
{
	const struct compare_html_rows *t = ctx;
	size_t ia = *(const size_t *)row_at(t, i, t->ia);
	char *who = compare_series(t->p, ia);

	buf_puts(b, "<td>");
	html_who(b, chart_colour(&t->s->style, ia), who);
	buf_puts(b, "</td>");
	free(who);
}

void
compare_cell_text(struct buf *b, const void *ctx, size_t i, size_t arg)
{
	const struct compare_html_rows *t = ctx;

	buf_puts(b,
	    *(const char *const *)row_at(t, i, arg ? t->engine : t->workload));
}

void
compare_cell_threads(struct buf *b, const void *ctx, size_t i, size_t arg)
{
	const struct compare_html_rows *t = ctx;
	int n = *(const int *)row_at(t, i, t->threads);

	buf_printf(b, "<td class=\"num\" data-v=\"%d\">%d</td>", n, n);
}

/* arg 0: A's PSS, 1: the other's, 2: the change */
static void
mem_pss(struct buf *b, const void *ctx, size_t i, size_t arg)
{
	const struct compare_mem_row *m = mem_row(ctx, i);
	double v = arg == 0 ? m->pss_a
	    : arg == 1      ? m->pss_b
	                    : (m->pss_b / m->pss_a - 1) * 100;

	buf_printf(b, "<td class=\"num\" data-v=\"%.6g\">", v);
	html_el_own(b, "span",
	    arg == 2 ? compare_mem_change_text(m) : format_kib(v));
	buf_puts(b, "</td>");
}

/* arg 0: the check, 1: A's outcome */
static void
find_text(struct buf *b, const void *ctx, size_t i, size_t arg)
{
	const struct compare_finding_row *f = find_row(ctx, i);

	buf_puts(b, arg ? f->outcome_a : f->title ? f->title : f->id);
}

static void
find_outcome(struct buf *b, const void *ctx, size_t i, size_t arg)
{
	const struct compare_finding_row *f = find_row(ctx, i);

	html_el(b,
	    strcmp(f->outcome_a, f->outcome_b) ? "td class=\"changed\"" : "td",
	    f->outcome_b);
}

static void
find_says(struct buf *b, const void *ctx, size_t i, size_t arg)
{
	const struct compare_finding_row *f = find_row(ctx, i);

	html_el(b, "td class=\"wrap\"", f->summary_b ? f->summary_b : "");
}

void
compare_extras_html(struct buf *b, const struct compare_set *s, size_t k)
{
	const struct compare_pair *p = &s->pair[k];
	const struct compare_html_rows mem = COMPARE_HTML_ROWS(
	    s, p, struct compare_mem_row, p->mem);
	/* a check has no workload, engine or threads */
	const struct compare_html_rows finds = {.s = s,
	    .p = p,
	    .rows = (const char *)p->finds,
	    .stride = sizeof(*p->finds),
	    .ia = offsetof(struct compare_finding_row, ia)};
	char tag = 'A' + (int)k;
	char pss[8], who[2] = {tag, '\0'}, says[8];

	snprintf(pss, sizeof(pss), "%c PSS", tag);
	snprintf(says, sizeof(says), "%c says", tag);
	if (p->nmem) {
		const struct table_col cols[] = {
		    COMPARE_KEY_COLS,
		    {"A PSS", NULL, 0, 1, 0},
		    {pss, NULL, 1, 1, 0},
		    {"Change", NULL, 2, 1, 0},
		};
		table_html_cell *const html[] = {
		    COMPARE_KEY_HTML, mem_pss, mem_pss, mem_pss};

		buf_printf(b,
		    "<h3>Memory</h3>\n<p>PSS of the probe's process tree, "
		    "averaged over the run and over probe processes, in A "
		    "and in %c.</p>\n",
		    tag);
		table_html(b, cols, sizeof(cols) / sizeof(*cols), html, &mem,
		    p->nmem);
	}
	if (p->nfinds) {
		const struct table_col cols[] = {
		    {"Interpreter", NULL, 0, 0, 0},
		    {"Check", find_text, 0, 0, 0},
		    {"A", find_text, 1, 0, 0},
		    {who, NULL, 0, 0, 0},
		    {says, NULL, 0, 0, 0},
		};
		table_html_cell *const html[] = {
		    compare_cell_who, NULL, NULL, find_outcome, find_says};

		buf_printf(b,
		    "<h3>Known limitations</h3>\n<p>The worst outcome of "
		    "every run of each check, in A and in %c.</p>\n",
		    tag);
		table_html(b, cols, sizeof(cols) / sizeof(*cols), html, &finds,
		    p->nfinds);
	}
}

void
compare_extras_md(struct buf *b, const struct compare_pair *p, char tag)
{
	if (p->nmem)
		buf_printf(b,
		    "\n| interpreter | workload | threads | A PSS | %c PSS "
		    "| change |\n|---|---|---:|---:|---:|---:|\n",
		    tag);
	for (size_t r = 0; r < p->nmem; r++) {
		const struct compare_mem_row *m = &p->mem[r];
		char *who = compare_series(p, m->ia);
		char *ka = format_kib(m->pss_a), *kb = format_kib(m->pss_b);
		char *ch = compare_mem_change_text(m);

		buf_puts(b, "| ");
		md_esc(b, who);
		buf_puts(b, " | ");
		md_esc(b, m->workload);
		if (strcmp(m->engine, "threads") != 0)
			buf_printf(b, " (%s)", m->engine);
		buf_printf(b, " | %d | %s | %s | %s |\n", m->threads, ka, kb,
		    ch);
		free(who);
		free(ka);
		free(kb);
		free(ch);
	}
	if (p->nfinds)
		buf_printf(b,
		    "\n| interpreter | known limitation | A | %c |\n"
		    "|---|---|---|---|\n",
		    tag);
	for (size_t r = 0; r < p->nfinds; r++) {
		const struct compare_finding_row *f = &p->finds[r];
		char *who = compare_series(p, f->ia);

		buf_puts(b, "| ");
		md_esc(b, who);
		buf_puts(b, " | ");
		md_esc(b, f->title ? f->title : f->id);
		buf_puts(b, " | ");
		md_esc(b, f->outcome_a);
		buf_puts(b, strcmp(f->outcome_a, f->outcome_b) ? " | **" : " | ");
		md_esc(b, f->outcome_b);
		buf_puts(b, strcmp(f->outcome_a, f->outcome_b) ? "** |\n" : " |\n");
		free(who);
	}
}
