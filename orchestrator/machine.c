#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "ftmatrix.h"

static char *
read_line_of(const char *path, const char *prefix)
{
	char line[1024], *p, *s = NULL;
	FILE *f = fopen(path, "r");

	if (!f)
		return NULL;
	while (fgets(line, sizeof(line), f)) {
		if (prefix && strncmp(line, prefix, strlen(prefix)) != 0)
			continue;
		p = prefix ? strchr(line, ':') : line;
		if (!p)
			continue;
		if (prefix)
			p++;
		p += strspn(p, " \t");
		p[strcspn(p, "\n")] = '\0';
		s = xstrdup(p);
		break;
	}
	fclose(f);
	return s;
}

static long
read_long_of(const char *path, const char *prefix, long dflt)
{
	char *s = read_line_of(path, prefix), *end;
	long v;

	if (!s)
		return dflt;
	v = strtol(s, &end, 10);
	if (end == s)
		v = dflt;
	free(s);
	return v;
}

/* Turbo makes the clock depend on temperature and on how many cores are
 * busy, so one-thread and N-thread cells run at different speeds. */
static int
boost_enabled(void)
{
	long v = read_long_of("/sys/devices/system/cpu/intel_pstate/no_turbo",
	    NULL, -1);

	if (v >= 0)
		return v == 0;
	return (int)read_long_of("/sys/devices/system/cpu/cpufreq/boost", NULL,
	    -1);
}

void
machine_capture(struct machine *m)
{
	struct utsname u;
	char host[256], *load;
	long n;

	memset(m, 0, sizeof(*m));
	m->cpu_model = read_line_of("/proc/cpuinfo", "model name");
	if (!m->cpu_model) /* arm64 and others */
		m->cpu_model = read_line_of("/proc/cpuinfo", "Model");
	if (!m->cpu_model)
		m->cpu_model = xstrdup("unknown");
	n = sysconf(_SC_NPROCESSORS_ONLN);
	m->cores = n > 0 ? (int)n : 1;
	if (uname(&u) == 0)
		m->kernel = xasprintf("%s %s %s", u.sysname, u.release,
		    u.machine);
	else
		m->kernel = xstrdup("unknown");
	m->governor = read_line_of(
	    "/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor", NULL);
	if (!m->governor)
		m->governor = xstrdup("unknown");
	if (gethostname(host, sizeof(host)) == 0) {
		host[sizeof(host) - 1] = '\0';
		m->hostname = xstrdup(host);
	} else {
		m->hostname = xstrdup("unknown");
	}
	load = read_line_of("/proc/loadavg", NULL);
	if (load &&
	    sscanf(load, "%lf %lf %lf", &m->loadavg1, &m->loadavg5,
		&m->loadavg15) < 1)
		m->loadavg1 = 0;
	free(load);
	m->mem_total_kib = read_long_of("/proc/meminfo", "MemTotal", 0);
	m->smt = (int)read_long_of("/sys/devices/system/cpu/smt/active", NULL,
	    -1);
	m->boost = boost_enabled();
	m->aslr = (int)read_long_of("/proc/sys/kernel/randomize_va_space",
	    NULL, -1);
	m->isolated = read_line_of("/sys/devices/system/cpu/isolated", NULL);
	if (!m->isolated)
		m->isolated = xstrdup("");
}

void
machine_free(struct machine *m)
{
	free(m->cpu_model);
	free(m->kernel);
	free(m->governor);
	free(m->hostname);
	free(m->isolated);
	memset(m, 0, sizeof(*m));
}
