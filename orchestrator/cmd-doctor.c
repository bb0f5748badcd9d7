#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ftmatrix.h"

enum level { OK, INFO, WARN, FAIL };

struct doctor {
	int warnings, failures;
};

static void
say(struct doctor *d, enum level lv, const char *what, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void
say(struct doctor *d, enum level lv, const char *what, const char *fmt, ...)
{
	static const char *const words[] = { "ok", "info", "warn", "fail" };
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
	struct proc_opts o = { .argv = argv, .capture_stdout = 1,
		.capture_stderr = 1, .timeout_s = 30 };
	struct proc_result r;
	char *line = NULL;
	const char *s;

	if (proc_run(&o, &r) == 0 && r.exit_status == 0) {
		s = r.out.len ? buf_str(&r.out) : buf_str(&r.err);
		line = xstrndup(s, strcspn(s, "\n"));
	}
	proc_result_free(&r);
	return line;
}

static char *
read_first_line(const char *path)
{
	struct buf b = { 0 };
	char *s = NULL;
	FILE *f = fopen(path, "r");

	if (!f)
		return NULL;
	fclose(f);
	if (file_read(path, &b) == 0)
		s = xstrndup(buf_str(&b), strcspn(buf_str(&b), "\n"));
	buf_free(&b);
	return s;
}

/* The probe is compiled per interpreter: a compiler that cannot build a
 * trivial program blocks every measurement. */
static void
check_cc(struct doctor *d)
{
	char *version = first_line((char *[]){ (char *)cc_name(), "--version",
	    NULL });
	char *dir = xasprintf("%s/doctor.%ld", cache_dir(), (long)getpid());
	char *src = path_join(dir, "t.c"), *exe = path_join(dir, "t");
	static const char prog[] = "#include <pthread.h>\n"
				   "int main(void) { return 0; }\n";
	char *argv[] = { (char *)cc_name(), src, "-o", exe, "-lpthread", NULL };
	struct proc_opts o = { .argv = argv, .capture_stdout = 1,
		.capture_stderr = 1, .timeout_s = 60 };
	struct proc_result r;

	if (!version) {
		say(d, FAIL, "cc", "%s not found: probes cannot be compiled; "
		    "apt-get install gcc (or set CC)", cc_name());
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
	} else {
		char *tail = text_tail(buf_str(&r.err), 3);

		say(d, FAIL, "cc", "%s cannot compile a C program: %s; "
		    "apt-get install gcc libc6-dev", cc_name(), tail);
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

static void
check_tools(struct doctor *d)
{
	static const char *const libs[] = { "yaml-0.1", "jansson", "libcurl",
		"cmocka" };
	char *v;
	struct buf missing = { 0 };
	size_t i;

	if ((v = first_line((char *[]){ "make", "--version", NULL })))
		say(d, OK, "make", "%s", v);
	else
		say(d, WARN, "make", "not found: provider source cannot build "
		    "CPython; apt-get install make");
	free(v);
	if ((v = first_line((char *[]){ "gnuplot", "--version", NULL })))
		say(d, OK, "gnuplot", "%s", v);
	else
		say(d, WARN, "gnuplot", "not found: reports will have no charts; "
		    "apt-get install gnuplot-nox");
	free(v);
	if (!(v = first_line((char *[]){ "pkg-config", "--version", NULL }))) {
		say(d, WARN, "libraries", "pkg-config not found, cannot check "
		    "them; apt-get install pkg-config");
		return;
	}
	free(v);
	for (i = 0; i < sizeof(libs) / sizeof(libs[0]); i++) {
		char *argv[] = { "pkg-config", "--exists", (char *)libs[i], NULL };
		struct proc_opts o = { .argv = argv, .timeout_s = 30 };
		struct proc_result r;

		if (proc_run(&o, &r) < 0 || r.exit_status != 0)
			buf_printf(&missing, " %s", libs[i]);
		proc_result_free(&r);
	}
	if (missing.len)
		say(d, WARN, "libraries", "missing:%s (needed to rebuild ftmatrix "
		    "and run its tests); make deps", buf_str(&missing));
	else
		say(d, OK, "libraries", "yaml-0.1 jansson libcurl cmocka");
	buf_free(&missing);
}

static void
check_data(struct doctor *d)
{
	static const char *const files[] = { "probes/probe.c",
		"probes/identity.py" };
	size_t i;

	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		char *p = path_join(data_dir(), files[i]);

		if (!path_exists(p)) {
			say(d, FAIL, "data", "%s not found: set FTMATRIX_DATADIR to "
			    "the directory holding probes/", p);
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
		say(d, WARN, "uv", "not found: matrices with provider uv (such as "
		    "matrices/default.yaml) cannot run; %s", uv_howto());
		return;
	}
	v = first_line((char *[]){ uv, "--version", NULL });
	if (v)
		say(d, OK, "uv", "%s (%s)", v, uv);
	else
		say(d, WARN, "uv", "%s does not run (--version failed); %s", uv,
		    uv_howto());
	free(v);
	free(uv);
}

static void
check_cpu(struct doctor *d)
{
	struct machine m;
	char *turbo;

	machine_capture(&m);
	if (m.cores >= 2)
		say(d, OK, "cores", "%d online (%s)", m.cores, m.cpu_model);
	else
		say(d, WARN, "cores", "%d online: scaling beyond one thread "
		    "cannot be measured; use a machine with more cores",
		    m.cores);
	if (strcmp(m.governor, "unknown") == 0)
		say(d, INFO, "governor", "unknown (no cpufreq in /sys, as on "
		    "most VMs)");
	else if (strcmp(m.governor, "performance") == 0)
		say(d, OK, "governor", "performance");
	else
		say(d, WARN, "governor", "%s: clocks change under load; "
		    "sudo cpupower frequency-set -g performance", m.governor);
	if ((turbo = read_first_line(
		 "/sys/devices/system/cpu/intel_pstate/no_turbo"))) {
		if (strcmp(turbo, "1") == 0)
			say(d, OK, "turbo", "off (intel_pstate)");
		else
			say(d, WARN, "turbo", "on: clocks depend on temperature; echo "
			    "1 | sudo tee /sys/devices/system/cpu/intel_pstate/"
			    "no_turbo");
	} else if ((turbo = read_first_line(
			"/sys/devices/system/cpu/cpufreq/boost"))) {
		if (strcmp(turbo, "0") == 0)
			say(d, OK, "turbo", "off (cpufreq boost)");
		else
			say(d, WARN, "turbo", "on: clocks depend on temperature; echo "
			    "0 | sudo tee /sys/devices/system/cpu/cpufreq/boost");
	} else {
		say(d, INFO, "turbo", "unknown (no intel_pstate or cpufreq boost "
		    "in /sys)");
	}
	free(turbo);
	if (m.loadavg1 > 0.5 * m.cores)
		say(d, WARN, "load", "%.2f on %d cores: other work will add noise; "
		    "wait for it or stop it", m.loadavg1, m.cores);
	else
		say(d, OK, "load", "%.2f", m.loadavg1);
	machine_free(&m);
}

int
cmd_doctor(int argc, char **argv)
{
	struct doctor d = { 0 };

	if (argc > 1) {
		if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
			printf("usage: ftmatrix doctor\n");
			return 0;
		}
		fprintf(stderr, "usage: ftmatrix doctor\n");
		return 2;
	}
	printf("ftmatrix %s doctor\n", FTMATRIX_VERSION);
	check_cc(&d);
	check_data(&d);
	check_tools(&d);
	check_uv(&d);
	check_cpu(&d);
	if (d.failures)
		printf("%d problem%s block%s measuring; fix what the fail lines say\n",
		    d.failures, d.failures == 1 ? "" : "s",
		    d.failures == 1 ? "s" : "");
	else if (d.warnings)
		printf("nothing blocks measuring; %d warning%s above\n", d.warnings,
		    d.warnings == 1 ? "" : "s");
	else
		printf("nothing blocks measuring\n");
	return d.failures ? 1 : 0;
}
