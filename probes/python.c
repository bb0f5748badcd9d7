/* The embedded interpreter: start-up, errors as data, the GIL state, the
 * identity seen at run time and the _ftmatrix_probe module. */
#include "probe.h"

#include <libgen.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void
failure_set(struct failure *f, char *message, char *traceback)
{
	pthread_mutex_lock(&f->lock);
	if (!f->message) {
		f->message = message;
		f->traceback = traceback;
		message = traceback = NULL;
	}
	pthread_mutex_unlock(&f->lock);
	free(message);
	free(traceback);
}

/* Lone surrogates are escaped, not fatal. */
char *
py_strdup(PyObject *obj)
{
	PyObject *str = PyObject_Str(obj);
	PyObject *bytes = NULL;
	char *s;

	if (str)
		bytes =
		    PyUnicode_AsEncodedString(str, "utf-8", "backslashreplace");
	Py_XDECREF(str);
	if (!bytes) {
		PyErr_Clear();
		return xstrdup("(unprintable)");
	}
	s = xstrdup(PyBytes_AS_STRING(bytes));
	Py_DECREF(bytes);
	return s;
}

/* Takes the pending exception as "Type: message" plus its formatted
 * traceback, so an error from any thread can be reported as data. */
static void
exception_take(char **message, char **traceback)
{
	PyObject *exc = PyErr_GetRaisedException();
	PyObject *module, *lines = NULL, *empty, *text = NULL;
	PyObject *type_name = exc ? PyType_GetName(Py_TYPE(exc)) : NULL;
	char *name, *detail;

	if (!exc) {
		*message = xstrdup("error without a Python exception");
		*traceback = NULL;
		return;
	}
	name = type_name ? py_strdup(type_name) : xstrdup("exception");
	detail = py_strdup(exc);
	*message = *detail ? xasprintf("%s: %s", name, detail) : xstrdup(name);
	free(name);
	free(detail);
	Py_XDECREF(type_name);

	module = PyImport_ImportModule("traceback");
	if (module)
		lines =
		    PyObject_CallMethod(module, "format_exception", "O", exc);
	empty = PyUnicode_FromString("");
	if (lines && empty)
		text = PyUnicode_Join(empty, lines);
	*traceback = text ? py_strdup(text) : NULL;
	PyErr_Clear();
	Py_XDECREF(text);
	Py_XDECREF(empty);
	Py_XDECREF(lines);
	Py_XDECREF(module);
	Py_DECREF(exc);
}

void
failure_from_exception(struct failure *f, const char *context)
{
	char *message, *traceback;

	exception_take(&message, &traceback);
	failure_set(f, xasprintf("%s: %s", context, message), traceback);
	free(message);
}

int
attr_optional(PyObject *obj, const char *name, PyObject **value)
{
#if PY_VERSION_HEX >= 0x030D0000
	return PyObject_GetOptionalAttrString(obj, name, value);
#else
	*value = PyObject_GetAttrString(obj, name);
	if (*value)
		return 1;
	if (!PyErr_ExceptionMatches(PyExc_AttributeError))
		return -1;
	PyErr_Clear();
	return 0;
#endif
}

int
gil_enabled_read(void)
{
	PyObject *fn = PySys_GetObject("_is_gil_enabled");
	PyObject *result;
	int enabled;

	if (!fn)
		return -1;
	result = PyObject_CallNoArgs(fn);
	if (!result) {
		PyErr_Clear();
		return -1;
	}
	enabled = PyObject_IsTrue(result);
	Py_DECREF(result);
	if (enabled < 0)
		PyErr_Clear();
	return enabled;
}

/* _ftmatrix_probe: what a workload may want to know about the probe. It
 * declares free-threading support, or importing it would turn the GIL on. */

static const char *probe_python;

static int
probe_module_exec(PyObject *m)
{
	char exe[PATH_MAX], *dir = NULL;
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	int rc;

	if (n > 0) {
		exe[n] = '\0';
		dir = xasprintf("%s/ext", dirname(exe));
	}
	rc = PyModule_AddStringConstant(m, "EXT_DIR", dir ? dir : "");
	free(dir);
	if (rc == 0)
		rc = PyModule_AddStringConstant(
		    m, "PYTHON", probe_python ? probe_python : "");
	return rc;
}

static PyModuleDef_Slot probe_module_slots[] = {
    {Py_mod_exec, probe_module_exec},
#ifdef Py_mod_gil
    {Py_mod_gil, Py_MOD_GIL_NOT_USED},
#endif
    {0, NULL},
};

static struct PyModuleDef probe_module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "_ftmatrix_probe",
    .m_doc = "Facts about the ftmatrix probe this interpreter runs in.",
    .m_size = 0,
    .m_slots = probe_module_slots,
};

static PyObject *
probe_module_init(void)
{
	return PyModuleDef_Init(&probe_module);
}

/* The exit path must not run Python's own error printing: the orchestrator
 * reads the error from our JSON. */
int
python_start(const char *program, const struct options *opt, struct failure *f)
{
	PyConfig config;
	PyStatus status;

	probe_python = opt->python;
	if (PyImport_AppendInittab("_ftmatrix_probe", probe_module_init) != 0) {
		failure_set(
		    f, xstrdup("cannot register _ftmatrix_probe"), NULL);
		return -1;
	}
	PyConfig_InitPythonConfig(&config);
	config.parse_argv = 0;
	/* With Python's SIGINT handler the C main thread, waiting on a
	 * barrier, would never see KeyboardInterrupt: keep the default so ^C
	 * stops us. */
	config.install_signal_handlers = 0;
	status =
	    PyConfig_SetBytesString(&config, &config.program_name, program);
	if (!PyStatus_Exception(status) && opt->python)
		status = PyConfig_SetBytesString(
		    &config, &config.executable, opt->python);
	if (!PyStatus_Exception(status))
		status = Py_InitializeFromConfig(&config);
	PyConfig_Clear(&config);
	if (PyStatus_Exception(status)) {
		failure_set(f,
		    xasprintf("cannot initialize Python: %s%s%s",
		        status.func ? status.func : "", status.func ? ": " : "",
		        status.err_msg ? status.err_msg : "unknown"),
		    NULL);
		return -1;
	}
	if ((Py_Version >> 16) != (PY_VERSION_HEX >> 16)) {
		failure_set(f,
		    xasprintf("probe was compiled against Python %s but runs "
		              "libpython %s; rebuild it",
		        PY_VERSION, Py_GetVersion()),
		    NULL);
		return -1;
	}
	return 0;
}

int
identity_read(struct identity *id, struct failure *f)
{
	const char *version = Py_GetVersion();
	const char *compiler = Py_GetCompiler();
	PyObject *sys = PyImport_ImportModule("sys");
	PyObject *impl = NULL, *name = NULL, *abiflags = NULL, *size = NULL;
	size_t n;

	id->version = xstrdup(version);
	id->version[strcspn(version, " ")] = '\0';
	id->hexversion = Py_Version;
	/* "[GCC 12.2.0]", sometimes after a newline: keep what is inside */
	compiler += strspn(compiler, " \n[");
	n = strlen(compiler);
	while (n && (compiler[n - 1] == ']' || compiler[n - 1] == ' '))
		n--;
	id->compiler = xmalloc(n + 1);
	memcpy(id->compiler, compiler, n);
	id->compiler[n] = '\0';
	id->gil_enabled_at_startup = gil_enabled_read();
	id->getsizeof_none = -1;

	if (sys)
		impl = PyObject_GetAttrString(sys, "implementation");
	if (impl)
		name = PyObject_GetAttrString(impl, "name");
	if (name && attr_optional(sys, "abiflags", &abiflags) >= 0)
		size = PyObject_CallMethod(sys, "getsizeof", "O", Py_None);
	if (size)
		id->getsizeof_none = PyLong_AsLong(size);
	if (!size || PyErr_Occurred()) {
		failure_from_exception(f, "cannot read the runtime identity");
	} else {
		id->implementation = py_strdup(name);
		id->abiflags = abiflags ? py_strdup(abiflags) : xstrdup("");
	}
	Py_XDECREF(size);
	Py_XDECREF(abiflags);
	Py_XDECREF(name);
	Py_XDECREF(impl);
	Py_XDECREF(sys);
	return id->implementation ? 0 : -1;
}

void
identity_json(struct buf *b, const struct identity *id)
{
	buf_puts(b, "{\"version\": ");
	json_string(b, id->version);
	buf_printf(
	    b, ", \"hexversion\": %lu, \"implementation\": ", id->hexversion);
	json_string(b, id->implementation);
#ifdef Py_GIL_DISABLED
	buf_puts(b, ", \"gil_disabled_build\": true, \"abiflags\": ");
#else
	buf_puts(b, ", \"gil_disabled_build\": false, \"abiflags\": ");
#endif
	json_string(b, id->abiflags);
	buf_puts(b, ", \"compiler\": ");
	json_string(b, id->compiler);
	buf_printf(b, ", \"sizeof_pyobject\": %zu, \"getsizeof_none\": %ld",
	    sizeof(PyObject), id->getsizeof_none);
	buf_puts(b, ", \"gil_enabled_at_startup\": ");
	json_tristate(b, id->gil_enabled_at_startup);
	buf_puts(b, "}");
}

void
identity_free(struct identity *id)
{
	free(id->version);
	free(id->implementation);
	free(id->abiflags);
	free(id->compiler);
}
