#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ftmatrix.h"

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: ftmatrix interpreters MATRIX [--json] [--rebuild] "
	    "[--trust-matrix] [-v]\n"
	    "\n"
	    "Provisions every interpreter of MATRIX (a file or an http(s)\n"
	    "URL, checked as run checks it), installing or building what is\n"
	    "missing, and prints what each one is, as captured by running\n"
	    "it. Exit status 1 when a required interpreter cannot be\n"
	    "provisioned or is not what the matrix asked for.\n"
	    "  --json         one JSON array instead of the table\n"
	    "  --rebuild      rebuild interpreters built from source\n"
	    "  --trust-matrix let a matrix from a URL use more than uv\n"
	    "                 requests and https tarballs with a sha256\n"
	    "  -v, --verbose  say more (uv's output)\n");
}

/* The GIL while the interpreter runs: a GIL build older than 3.13 cannot
 * say, but has it on. */
static const char *
gil_word(const struct identity *id)
{
	if (id->gil_enabled >= 0)
		return id->gil_enabled ? "on" : "off";
	return id->gil_disabled_build ? "?" : "on";
}

static const char *
str_or(const char *s, const char *dflt)
{
	return s && *s ? s : dflt;
}

enum {
	C_ID,
	C_VERSION,
	C_FT,
	C_GIL,
	C_ABI,
	C_PROVIDER,
	C_REQUEST,
	C_EXE,
	NCOLS
};

static void
row_cells(const struct interp *x, const char *cells[NCOLS])
{
	const struct identity *id = &x->identity;

	cells[C_ID] = x->spec->id;
	cells[C_PROVIDER] = provider_name(x->spec->provider);
	cells[C_REQUEST] = interp_request(x->spec);
	if (!x->available) {
		cells[C_VERSION] = cells[C_FT] = cells[C_GIL] = cells[C_ABI] =
		    "-";
		cells[C_EXE] = "(unavailable)";
		return;
	}
	cells[C_VERSION] = str_or(id->version, "?");
	cells[C_FT] = id->gil_disabled_build ? "yes" : "no";
	cells[C_GIL] = gil_word(id);
	cells[C_ABI] = str_or(id->abiflags, "-");
	cells[C_EXE] = str_or(id->executable, x->python);
}

static void
interp_cell(struct buf *b, const void *ctx, size_t i, size_t col)
{
	const char *cells[NCOLS];

	row_cells(&((const struct interp *)ctx)[i], cells);
	buf_puts(b, cells[col]);
}

static void
print_table(const struct interp *in, size_t n)
{
	static const struct table_col cols[] = {
	    {"id", interp_cell, C_ID, 0, 0},
	    {"version", interp_cell, C_VERSION, 0, 0},
	    {"ft-build", interp_cell, C_FT, 0, 0},
	    {"gil", interp_cell, C_GIL, 0, 0},
	    {"abi", interp_cell, C_ABI, 0, 0},
	    {"provider", interp_cell, C_PROVIDER, 0, 0},
	    {"request", interp_cell, C_REQUEST, 0, 0},
	    {"executable", interp_cell, C_EXE, 0, 0},
	};
	struct buf b = {0};

	table_text(&b, cols, NCOLS, in, n, NULL);
	fputs(buf_str(&b), stdout);
	buf_free(&b);
}

static void
detail(const char *name, const char *value)
{
	printf("  %-16s %s\n", name, value);
}

/* What the table has no room for, one block per interpreter. */
static void
print_details(const struct interp *in, size_t n)
{
	size_t i, j;

	for (i = 0; i < n; i++) {
		const struct interp *x = &in[i];
		const struct identity *id = &x->identity;

		printf("\n%s", x->spec->id);
		if (!x->available) {
			printf(": unavailable%s\n",
			    x->spec->optional ? " (optional)" : "");
			for (const char *p = str_or(x->error, "?"); *p;) {
				size_t len = strcspn(p, "\n");

				printf("  %.*s\n", (int)len, p);
				p += len + (p[len] == '\n');
			}
			/* a mismatch: what was found instead */
			if (id->version)
				printf("  found: %s %s%s (%s), GIL at run time "
				       "%s\n",
				    str_or(id->implementation, "?"),
				    id->version,
				    id->gil_disabled_build ? " free-threaded"
				                           : "",
				    str_or(id->executable, x->python),
				    gil_word(id));
			continue;
		}
		printf(" (%s)\n", str_or(x->label, "?"));
		detail("implementation", str_or(id->implementation, "?"));
		detail("version", str_or(id->version, "?"));
		detail("Py_GIL_DISABLED", id->gil_disabled_build ? "1" : "0");
		detail("GIL at run time", gil_word(id));
		printf(
		    "  %-16s \"%s\"\n", "abiflags", str_or(id->abiflags, ""));
		detail("compiler", str_or(id->compiler, "?"));
		detail("configure", str_or(id->config_args, "(none)"));
		detail("executable", str_or(id->executable, x->python));
		detail("libpython", str_or(id->libpython, "(static: none)"));
		detail("build date", str_or(id->build_date, "?"));
		for (j = 0; x->env && x->env[j]; j++)
			detail(j ? "" : "environment", x->env[j]);
		detail("provider", provider_name(x->spec->provider));
		detail("request", interp_request(x->spec));
		if (x->origin)
			detail("from", x->origin);
		detail("probe", str_or(x->probe, "?"));
	}
}

static int
print_json(const struct interp *in, size_t n)
{
	json_t *all = jv_list();
	size_t i, j;
	char *text;

	for (i = 0; i < n; i++) {
		const struct interp *x = &in[i];
		json_t *o = jv_object(), *env = jv_object(), *ident = NULL;

		jv_set(o, "id", jv_str(x->spec->id));
		jv_set(o, "label", jv_str(x->label));
		jv_set(o, "provider", jv_str(provider_name(x->spec->provider)));
		jv_set(o, "request", jv_str(interp_request(x->spec)));
		jv_set(o, "optional", jv_bool(x->spec->optional));
		jv_set(o, "available", jv_bool(x->available));
		jv_set(o, "error", jv_str(x->error));
		jv_set(o, "origin", jv_str(x->origin));
		jv_set(o, "python", jv_str(x->python));
		jv_set(o, "probe", jv_str(x->probe));
		for (j = 0; x->env && x->env[j]; j++) {
			size_t k = strcspn(x->env[j], "=");
			char *name = xstrndup(x->env[j], k);

			jv_set(env, name,
			    jv_str(x->env[j] + k + (x->env[j][k] == '=')));
			free(name);
		}
		jv_set(o, "env", env);
		if (x->identity.json)
			ident = jv_parse(x->identity.json, NULL);
		jv_set(o, "identity", ident);
		jv_append(all, o);
	}
	text = jv_dump(all, 0);
	jv_free(all);
	if (!text)
		return -1;
	puts(text);
	free(text);
	return 0;
}

int
cmd_interpreters(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"json", no_argument, NULL, 'j'},
	    {"rebuild", no_argument, NULL, 'R'},
	    {"trust-matrix", no_argument, NULL, 'T'},
	    {"verbose", no_argument, NULL, 'v'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	/* every row of the table, even after one fails */
	struct provision_opts po = {.keep_going = 1};
	struct interp *in = NULL;
	struct matrix m;
	int json = 0, rc = 0, c;
	size_t k;

	while ((c = getopt_long(argc, argv, "vh", longopts, NULL)) != -1) {
		switch (c) {
		case 'j':
			json = 1;
			break;
		case 'R':
			po.rebuild = 1;
			break;
		case 'T':
			po.trust_matrix = 1;
			break;
		case 'v':
			po.verbose = 1;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			return usage_bad_option(argv, "vh", longopts, usage);
		}
	}
	if (optind != argc - 1) {
		usage(stderr);
		return 2;
	}
	/* as run reads it: a URL too, and unknown workloads refused */
	if (matrix_open(argv[optind], &m) != 0 ||
	    matrix_trust_check(&m, argv[optind], po.trust_matrix)) {
		matrix_free(&m);
		return 1;
	}
	interrupt_install();
	provision_all(&m, &po, &in);
	for (k = 0; k < m.ninterps; k++)
		if (!in[k].available && !m.interps[k].optional)
			rc = 1;
	if (json) {
		if (print_json(in, m.ninterps) < 0)
			rc = 1;
	} else {
		print_table(in, m.ninterps);
		print_details(in, m.ninterps);
	}
	interps_free(in, m.ninterps);
	matrix_free(&m);
	return interrupted ? 130 : rc;
}
