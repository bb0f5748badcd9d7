/*
 * ftmatrix_legacy_ext: an extension module as written before free-threaded
 * CPython existed. It uses single-phase initialisation and never calls
 * PyUnstable_Module_SetGIL, so it does not declare that it can run without
 * the GIL; a free-threaded 3.13+ build turns the GIL back on when it is
 * imported (unless PYTHON_GIL=0), which is what the gil_reenable finding
 * shows. Built by the orchestrator beside each probe, in ext/.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *
legacy_add(PyObject *self, PyObject *args)
{
	long a, b;

	(void)self;
	if (!PyArg_ParseTuple(args, "ll", &a, &b))
		return NULL;
	return PyLong_FromLong(a + b);
}

static PyMethodDef legacy_methods[] = {
    {"add", legacy_add, METH_VARARGS, "add(a, b) -> a + b"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef legacy_module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "ftmatrix_legacy_ext",
    .m_doc = "An extension that does not declare free-threading support.",
    .m_size = -1,
    .m_methods = legacy_methods,
};

PyMODINIT_FUNC
PyInit_ftmatrix_legacy_ext(void)
{
	return PyModule_Create(&legacy_module);
}
