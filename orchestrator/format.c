#include <math.h>
#include <stdio.h>
#include <string.h>

#include "ftmatrix.h"

double
format_time_unit(double ns, const char **name)
{
	static const char *const units[] = {"ns", "µs", "ms", "s"};
	double div = 1, ref = fabs(ns);
	int u = 0;

	while (u < 3 && isfinite(ref) && ref >= 1000) {
		ref /= 1000;
		div *= 1000;
		u++;
	}
	*name = units[u];
	return div;
}

static char *
three_digits(double v, const char *unit)
{
	return xasprintf(fabs(v) < 10 ? "%.2f %s"
	        : fabs(v) < 100       ? "%.1f %s"
	                              : "%.0f %s",
	    v, unit);
}

/* "4.03 ms": three significant digits in a unit that keeps the value in
 * [1, 1000). With unit_of >= 0, uses that value's unit instead, so a
 * median and its interval read alike. */
char *
format_duration(double ns, double unit_of)
{
	const char *name;
	double div = format_time_unit(unit_of >= 0 ? unit_of : ns, &name);

	if (!isfinite(ns))
		return xstrdup("–");
	return three_digits(ns / div, name);
}

char *
format_kib(double kib)
{
	if (!isfinite(kib))
		return xstrdup("–");
	if (kib >= 1024 * 1024)
		return three_digits(kib / 1024 / 1024, "GiB");
	if (kib >= 1024)
		return three_digits(kib / 1024, "MiB");
	return three_digits(kib, "KiB");
}

char *
format_metric_value(double v, const char *unit)
{
	if (!isfinite(v))
		return xstrdup("–");
	if (unit && strcmp(unit, "ns") == 0)
		return format_duration(v, -1);
	if (unit && strcmp(unit, "bytes") == 0 && fabs(v) >= 1024)
		return format_kib(v / 1024);
	if (unit && strcmp(unit, "bytes") == 0)
		return xasprintf("%.0f B", v);
	if (v == floor(v) && fabs(v) < 1e15)
		return xasprintf("%.0f%s%s", v,
		    unit && strcmp(unit, "count") ? " " : "",
		    unit && strcmp(unit, "count") ? unit : "");
	return xasprintf("%.4g%s%s", v, unit ? " " : "", unit ? unit : "");
}

/* "+9.2% [+8.1, +10.3]" (percent) or "1.93x [1.90, 1.97]"; "–" without
 * a value. */
char *
format_ratio_ci(int has, double v, double lo, double hi, int percent)
{
	if (!has)
		return xstrdup("–");
	if (percent)
		return xasprintf("%+.1f%% [%+.1f, %+.1f]", (v - 1) * 100,
		    (lo - 1) * 100, (hi - 1) * 100);
	return xasprintf("%.2fx [%.2f, %.2f]", v, lo, hi);
}
