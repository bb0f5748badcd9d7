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
	if (load)
		m->loadavg1 = strtod(load, NULL);
	free(load);
}

void
machine_free(struct machine *m)
{
	free(m->cpu_model);
	free(m->kernel);
	free(m->governor);
	free(m->hostname);
	memset(m, 0, sizeof(*m));
}
