#include <getopt.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "ftmatrix.h"

enum level { OK, INFO, WARN, FAIL };

struct doctor {
	int warnings, failures;
	int cc_works;
};

static void say(struct doctor *d, enum level lv, const char *what,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void
say(struct doctor *d, enum level lv, const char *what, const char *fmt, ...)
{
	static const char *const words[] = {"ok", "info", "warn", "fail"};
	va_list ap;

	printf("  %-5s %-10s ", words[lv], what);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	if (lv == WARN)
		d->warnings++;
	if (lv == FAIL)
		d->failures++;
}

/* Runs argv capturing both streams; the first line of its output, or NULL
 * when it cannot be started or fails. */
static char *
first_line(char *const *argv)
{
	struct proc_opts o = {.argv = argv,
	    .capture_stdout = 1,
	    .capture_stderr = 1,
	    .timeout_s = 30};
	struct proc_result r;
	char *line = NULL, *found;
	const char *s;

	/* a tool that is not there is reported by the caller, not by proc */
	if (strchr(argv[0], '/')) {
		if (!path_is_executable(argv[0]))
			return NULL;
	} else {
		if (!(found = path_lookup(argv[0])))
			return NULL;
		free(found);
	}
	if (proc_run(&o, &r) == 0 && r.exit_status == 0) {
		s = r.out.len ? buf_str(&r.out) : buf_str(&r.err);
		line = xstrndup(s, strcspn(s, "\n"));
	}
	proc_result_free(&r);
	return line;
}

/* /sys and /proc, under $FTMATRIX_SYSROOT when it is set: the tests show
 * the doctor a machine with frequency scaling, turbo and load. */
static char *
sys_path(const char *path)
{
	const char *root = getenv("FTMATRIX_SYSROOT");

	return xasprintf("%s%s", root && *root ? root : "", path);
}

static char *
read_first_line(const char *path)
{
	char *full = sys_path(path), *s = NULL;
	struct buf b = {0};
	FILE *f = fopen(full, "r");

	if (f) {
		fclose(f);
		if (file_read(full, &b) == 0)
			s = xstrndup(buf_str(&b), strcspn(buf_str(&b), "\n"));
		buf_free(&b);
	}
	free(full);
	return s;
}

/* The probe is compiled per interpreter: a compiler that cannot build a
 * trivial program blocks every measurement. */
static void
check_cc(struct doctor *d)
{
	char *version =
	    first_line((char *[]){(char *)cc_name(), "--version", NULL});
	char *dir = xasprintf("%s/doctor.%ld", cache_dir(), (long)getpid());
	char *src = path_join(dir, "t.c"), *exe = path_join(dir, "t");
	static const char prog[] = "#include <pthread.h>\n"
	                           "int main(void) { return 0; }\n";
	char *argv[] = {(char *)cc_name(), src, "-o", exe, "-lpthread", NULL};
	struct proc_opts o = {.argv = argv,
	    .capture_stdout = 1,
	    .capture_stderr = 1,
	    .timeout_s = 60};
	struct proc_result r;

	if (!version) {
		say(d, FAIL, "cc",
		    "%s not found: probes cannot be compiled; "
		    "apt-get install gcc (or set CC)",
		    cc_name());
		goto out;
	}
	if (mkdir_p(dir) < 0 ||
	    file_write_atomic(src, prog, sizeof(prog) - 1) < 0) {
		say(d, FAIL, "cache", "%s is not writable: set FTMATRIX_CACHE",
		    cache_dir());
		goto out;
	}
	if (proc_run(&o, &r) == 0 && r.exit_status == 0) {
		say(d, OK, "cc", "%s", version);
		d->cc_works = 1;
	} else {
		char *tail = text_tail(buf_str(&r.err), 3);

		say(d, FAIL, "cc",
		    "%s cannot compile a C program: %s; "
		    "apt-get install gcc libc6-dev",
		    cc_name(), tail);
		free(tail);
	}
	proc_result_free(&r);
out:
	remove_tree(dir);
	free(dir);
	free(src);
	free(exe);
	free(version);
}

/* The tools ftmatrix runs, each found by its --version line: one that
 * names need (when given) or, else, what goes without it and how to get
 * it. */
static void
check_tools(struct doctor *d)
{
	static const struct {
		char *name;
		const char *need, *without;
	} tools[] = {
	    {"make", NULL,
	        "provider source cannot build CPython; apt-get install make"},
	    {"tar", "GNU tar",
	        "provider source unpacks tarballs with GNU tar; apt-get "
	        "install tar xz-utils"},
	    {"gnuplot", NULL,
	        "reports will have no charts; apt-get install gnuplot-nox"},
	};
	static const char *const libs[] = {
	    "yaml-0.1", "jansson", "libcurl", "cmocka"};
	char *v;
	struct buf missing = {0};
	size_t i;

	for (i = 0; i < sizeof(tools) / sizeof(tools[0]); i++) {
		v = first_line((char *[]){tools[i].name, "--version", NULL});
		if (v && (!tools[i].need || strstr(v, tools[i].need)))
			say(d, OK, tools[i].name, "%s", v);
		else
			say(d, WARN, tools[i].name, "%s%s: %s",
			    v ? "not " : "not found",
			    v ? tools[i].need : "",
			    tools[i].without);
		free(v);
	}
	if (!(v = first_line((char *[]){"pkg-config", "--version", NULL}))) {
		say(d, WARN, "libraries",
		    "pkg-config not found, cannot check "
		    "them; apt-get install pkg-config");
		return;
	}
	free(v);
	for (i = 0; i < sizeof(libs) / sizeof(libs[0]); i++) {
		char *argv[] = {
		    "pkg-config", "--exists", (char *)libs[i], NULL};
		struct proc_opts o = {.argv = argv, .timeout_s = 30};
		struct proc_result r;

		if (proc_run(&o, &r) < 0 || r.exit_status != 0)
			buf_printf(&missing, " %s", libs[i]);
		proc_result_free(&r);
	}
	if (missing.len)
		say(d, WARN, "libraries",
		    "missing:%s (needed to rebuild ftmatrix "
		    "and run its tests); make deps",
		    buf_str(&missing));
	else
		say(d, OK, "libraries", "yaml-0.1 jansson libcurl cmocka");
	buf_free(&missing);
}

/* Headers a CPython source build needs for a complete standard library;
 * without one, configure carries on and the module is simply missing. */
static void
check_cpython_deps(struct doctor *d)
{
	static const struct {
		const char *header, *package, *module;
	} deps[] = {
	    {"zlib.h", "zlib1g-dev", "zlib"},
	    {"openssl/ssl.h", "libssl-dev", "ssl, hashlib"},
	    {"ffi.h", "libffi-dev", "ctypes"},
	    {"bzlib.h", "libbz2-dev", "bz2"},
	    {"lzma.h", "liblzma-dev", "lzma"},
	    {"sqlite3.h", "libsqlite3-dev", "sqlite3"},
	    {"readline/readline.h", "libreadline-dev", "readline"},
	    {"uuid/uuid.h", "uuid-dev", "uuid"},
	    {"ncurses.h", "libncurses-dev", "curses"},
	    {"gdbm.h", "libgdbm-dev", "dbm.gnu"},
	};
	struct buf pkgs = {0}, mods = {0};
	size_t i;

	if (!d->cc_works) {
		say(d, INFO, "cpython",
		    "headers a source build needs not checked: no working "
		    "compiler");
		return;
	}
	for (i = 0; i < sizeof(deps) / sizeof(deps[0]); i++) {
		char *src = xasprintf("#include <%s>\n", deps[i].header);
		char *dir =
		    xasprintf("%s/doctor.%ld", cache_dir(), (long)getpid());
		char *file = path_join(dir, "h.c");
		char *argv[] = {
		    (char *)cc_name(), "-E", "-o", "/dev/null", file, NULL};
		struct proc_opts o = {.argv = argv,
		    .capture_stdout = 1,
		    .capture_stderr = 1,
		    .timeout_s = 60};
		struct proc_result r;

		if (mkdir_p(dir) == 0 &&
		    file_write_atomic(file, src, strlen(src)) == 0 &&
		    proc_run(&o, &r) == 0) {
			if (r.exit_status != 0) {
				buf_printf(&pkgs, " %s", deps[i].package);
				buf_printf(&mods, "%s%s", mods.len ? ", " : "",
				    deps[i].module);
			}
			proc_result_free(&r);
		}
		remove_tree(dir);
		free(src);
		free(dir);
		free(file);
	}
	if (pkgs.len)
		say(d, WARN, "cpython",
		    "CPython built from source would lack %s; "
		    "apt-get install%s",
		    buf_str(&mods), buf_str(&pkgs));
	else
		say(d, OK, "cpython",
		    "headers for a complete source build are "
		    "there");
	buf_free(&pkgs);
	buf_free(&mods);
}

static void
check_data(struct doctor *d)
{
	static const char *const files[] = {
	    "probes/probe.c", "probes/identity.py"};
	size_t i;

	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		char *p = path_join(data_dir(), files[i]);

		if (!path_exists(p)) {
			say(d, FAIL, "data",
			    "%s not found: set FTMATRIX_DATADIR to "
			    "the directory holding probes/",
			    p);
			free(p);
			return;
		}
		free(p);
	}
	say(d, OK, "data", "%s", data_dir());
}

static void
check_uv(struct doctor *d)
{
	char *uv = uv_path(), *v;

	if (!uv) {
		say(d, WARN, "uv",
		    "not found: matrices with provider uv (such as "
		    "matrices/default.yaml) cannot run; %s",
		    uv_howto());
		return;
	}
	v = first_line((char *[]){uv, "--version", NULL});
	if (!v) {
		say(d, WARN, "uv", "%s does not run (--version failed); %s", uv,
		    uv_howto());
		free(uv);
		return;
	}
	say(d, OK, "uv", "%s (%s)", v, uv);
	free(v);
	/* where uv python install puts interpreters (UV_PYTHON_INSTALL_DIR) */
	if ((v = first_line((char *[]){uv, "python", "dir", NULL})))
		say(d, INFO, "uv python", "installs into %s", v);
	free(v);
	free(uv);
}

/* The governors of every CPU, "performance" or e.g. "powersave (2 of 4
 * CPUs), performance"; NULL without cpufreq. */
static char *
governors(int *all_performance)
{
	char *pattern = sys_path("/sys/devices/system/cpu/cpu[0-9]*/cpufreq/"
	                         "scaling_governor");
	struct buf b = {0};
	glob_t g;
	size_t i, j, n = 0;
	char **seen;
	size_t *count;

	*all_performance = 1;
	if (glob(pattern, 0, NULL, &g) != 0) {
		free(pattern);
		return NULL;
	}
	free(pattern);
	seen = xcalloc(g.gl_pathc, sizeof(*seen));
	count = xcalloc(g.gl_pathc, sizeof(*count));
	for (i = 0; i < g.gl_pathc; i++) {
		struct buf line = {0};
		char *gov;

		if (file_read(g.gl_pathv[i], &line) < 0)
			continue;
		gov = xstrndup(buf_str(&line), strcspn(buf_str(&line), "\n"));
		buf_free(&line);
		if (strcmp(gov, "performance") != 0)
			*all_performance = 0;
		for (j = 0; j < n && strcmp(seen[j], gov) != 0; j++)
			;
		if (j == n)
			seen[n++] = gov;
		else
			free(gov);
		count[j]++;
	}
	for (j = 0; j < n; j++) {
		buf_printf(&b, "%s%s", j ? ", " : "", seen[j]);
		if (n > 1)
			buf_printf(
			    &b, " (%zu of %zu CPUs)", count[j], g.gl_pathc);
		free(seen[j]);
	}
	free(seen);
	free(count);
	globfree(&g);
	return b.len ? buf_detach(&b) : NULL;
}

/* Turbo as intel_pstate or cpufreq says, whichever the kernel has. */
static void
check_turbo(struct doctor *d)
{
	static const struct {
		const char *path, *off, *driver;
	} knobs[] = {
	    {"/sys/devices/system/cpu/intel_pstate/no_turbo", "1",
	        "intel_pstate"},
	    {"/sys/devices/system/cpu/cpufreq/boost", "0", "cpufreq boost"},
	};

	for (size_t i = 0; i < sizeof(knobs) / sizeof(knobs[0]); i++) {
		char *turbo = read_first_line(knobs[i].path);

		if (!turbo)
			continue;
		if (strcmp(turbo, knobs[i].off) == 0)
			say(d, OK, "turbo", "off (%s)", knobs[i].driver);
		else
			say(d, WARN, "turbo",
			    "on: clocks depend on temperature and on how "
			    "many cores are busy, which skews scaling; echo "
			    "%s | sudo tee %s",
			    knobs[i].off, knobs[i].path);
		free(turbo);
		return;
	}
	say(d, INFO, "turbo",
	    "unknown (no intel_pstate or cpufreq boost in /sys, as on most "
	    "VMs)");
}

/* A high load average is worth a warning when the CPUs are busy now; it
 * also counts tasks waiting on I/O and remembers the last minute. */
static void
load_check(struct doctor *d, double load1, long ncpu)
{
	char *stat = sys_path("/proc/stat");
	double busy = others_busy_share(stat, PAUSE_S);

	free(stat);
	if (busy >= 0 && busy <= OTHERS_BUSY_MAX)
		say(d, INFO, "load",
		    "%.2f on %ld cores, yet other processes used %.0f%% of the "
		    "CPUs over %.1f s: tasks waiting on I/O or the last "
		    "minute's work, not CPU work now",
		    load1, ncpu, busy * 100, PAUSE_S);
	else if (busy > OTHERS_BUSY_MAX)
		say(d, WARN, "load",
		    "%.2f on %ld cores, other processes used %.0f%% of the "
		    "CPUs over %.1f s: other work will add noise; wait for "
		    "it to finish or stop it (top shows what runs)",
		    load1, ncpu, busy * 100, PAUSE_S);
	else
		say(d, WARN, "load",
		    "%.2f on %ld cores: other work will add "
		    "noise; wait for it to finish or stop it (top shows what "
		    "runs)",
		    load1, ncpu);
}

static void
check_cpu(struct doctor *d)
{
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	char *gov, *load;
	int performance;
	double load1;

	struct machine m;

	machine_capture(&m);
	if (ncpu >= 2)
		say(d, OK, "cores", "%ld online (%s)", ncpu, m.cpu_model);
	else
		say(d, WARN, "cores",
		    "%ld online: scaling beyond one thread "
		    "cannot be measured; use a machine with more cores",
		    ncpu);
	machine_free(&m);
	if (!(gov = governors(&performance)))
		say(d, INFO, "governor",
		    "unknown (no cpufreq in /sys, as on "
		    "most VMs)");
	else if (performance)
		say(d, OK, "governor", "%s", gov);
	else
		say(d, WARN, "governor",
		    "%s: clocks change under load; sudo "
		    "cpupower frequency-set -g performance (package "
		    "linux-cpupower)",
		    gov);
	free(gov);
	check_turbo(d);
	load = read_first_line("/proc/loadavg");
	load1 = load ? strtod(load, NULL) : -1;
	if (load1 < 0)
		say(d, INFO, "load", "unknown (no /proc/loadavg)");
	else if (load1 > 0.5 * (ncpu > 0 ? ncpu : 1))
		load_check(d, load1, ncpu);
	else
		say(d, OK, "load", "%.2f", load1);
	free(load);
}

/* A source build of CPython takes about 1 GiB while it builds. */
static void
check_cache(struct doctor *d)
{
	struct statvfs st;
	double free_gib;

	if (mkdir_p(cache_dir()) < 0 || access(cache_dir(), W_OK) < 0) {
		say(d, FAIL, "cache",
		    "%s is not writable: set FTMATRIX_CACHE to "
		    "a directory that is",
		    cache_dir());
		return;
	}
	if (statvfs(cache_dir(), &st) < 0) {
		say(d, INFO, "cache", "%s (free space unknown)", cache_dir());
		return;
	}
	free_gib = (double)st.f_bavail * st.f_frsize / (1024.0 * 1024 * 1024);
	if (free_gib < 2)
		say(d, WARN, "cache",
		    "%s has %.1f GiB free; building CPython from "
		    "source needs about 1 GiB per interpreter: free some space "
		    "or "
		    "set FTMATRIX_CACHE",
		    cache_dir(), free_gib);
	else
		say(d, OK, "cache", "%s (%.0f GiB free)", cache_dir(),
		    free_gib);
}

static void
doctor_usage(FILE *f)
{
	fputs("usage: ftmatrix doctor\n", f);
}

int
cmd_doctor(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	struct doctor d = {0};
	int c;

	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		if (c == 'h') {
			doctor_usage(stdout);
			return 0;
		}
		return usage_bad_option(argv, "h", longopts, doctor_usage);
	}
	if (optind != argc) {
		fprintf(stderr, "ftmatrix doctor: unexpected argument %s\n",
		    argv[optind]);
		usage_synopsis("doctor", doctor_usage);
		return 2;
	}
	printf("ftmatrix %s doctor\n", FTMATRIX_VERSION);
	check_cc(&d);
	check_data(&d);
	check_cache(&d);
	check_tools(&d);
	check_cpython_deps(&d);
	check_uv(&d);
	check_cpu(&d);
	if (d.failures)
		printf("%d problem%s block%s measuring; fix what the fail "
		       "lines say\n",
		    d.failures, d.failures == 1 ? "" : "s",
		    d.failures == 1 ? "s" : "");
	else if (d.warnings)
		printf("nothing blocks measuring; %d warning%s above\n",
		    d.warnings, d.warnings == 1 ? "" : "s");
	else
		printf("nothing blocks measuring\n");
	return d.failures ? 1 : 0;
}
