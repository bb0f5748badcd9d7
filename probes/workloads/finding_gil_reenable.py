"""Finding: importing an extension that does not declare free-threading
support turns the GIL back on.

The probe build compiles probes/ext/ftmatrix_legacy_ext.c, a single-phase
extension module written the old way (no Py_mod_gil slot, no
PyUnstable_Module_SetGIL), into ext/ beside the probe. This imports it and
reads sys._is_gil_enabled() before and after, and any RuntimeWarning. On
a free-threaded 3.13+ build the GIL comes back for the rest of the process
(unless PYTHON_GIL=0 forces it off); a GIL build has nothing to re-enable.
"""

DESCRIPTION = "import an extension without Py_mod_gil and see whether the GIL comes back"
GROUP = "findings"
UNIT = "one check (iterations unused)"
MEASURES = "finding: GIL state before and after the import, warning text"
FINDING = "gil_reenable"

import importlib.machinery
import importlib.util
import os
import sys
import sysconfig
import warnings

NAME = "ftmatrix_legacy_ext"


def extension_path():
    try:
        import _ftmatrix_probe
    except ImportError:
        return None
    path = os.path.join(_ftmatrix_probe.EXT_DIR, NAME + ".so")
    return path if os.path.exists(path) else None


def check(nthreads):
    ft_build = bool(sysconfig.get_config_var("Py_GIL_DISABLED"))
    is_enabled = getattr(sys, "_is_gil_enabled", None)
    path = extension_path()
    details = {"free_threaded_build": ft_build, "extension": path,
               "PYTHON_GIL": os.environ.get("PYTHON_GIL")}
    if path is None:
        return {"outcome": "unsupported",
                "summary": "The test extension was not built beside the probe, "
                           "so there was nothing to import.",
                "details": details}
    before = is_enabled() if is_enabled else None
    loader = importlib.machinery.ExtensionFileLoader(NAME, path)
    spec = importlib.util.spec_from_file_location(NAME, path, loader=loader)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    after = is_enabled() if is_enabled else None
    works = module.add(2, 3) == 5
    msgs = [f"{w.category.__name__}: {w.message}" for w in caught]
    details.update(gil_enabled_before=before, gil_enabled_after=after,
                   warnings=msgs, extension_works=works)
    if not ft_build:
        return {"outcome": "unsupported",
                "summary": "A GIL build: the extension imported and works, and "
                           "there is no GIL to turn back on.",
                "details": details}
    if before is False and after is True:
        return {"outcome": "issue",
                "summary": "Importing an extension that does not declare "
                           "free-threading support turned the GIL back on for "
                           "the whole process" + (" (with a RuntimeWarning)" if msgs else "") + ".",
                "details": details}
    if before is True:
        return {"outcome": "ok",
                "summary": "The GIL was already on before the import "
                           "(PYTHON_GIL=1 or an earlier import), so the import "
                           "changed nothing.",
                "details": details}
    return {"outcome": "ok",
            "summary": "The GIL stayed off after importing the extension "
                       "(PYTHON_GIL=0 forces it off, at the user's risk).",
            "details": details}
