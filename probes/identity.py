"""Prints what this interpreter is, as one JSON object, for ftmatrix.

Runs on every CPython ftmatrix measures (3.8 onwards), so it uses nothing
newer than the oldest of them.
"""
import json
import os
import platform
import sys
import sysconfig


def config(name):
    value = sysconfig.get_config_var(name)
    return "" if value is None else value


def build_paths(ldlibrary):
    """Where Python.h and libpython are, for compiling the probe.

    A relocated build (uv's python-build-standalone, or any prefix copied
    elsewhere) may still name the directories it was built for in its
    sysconfig data; then the ones under the prefix it runs from are used,
    and "relocated" says so.
    """
    includepy, libdir = config("INCLUDEPY"), config("LIBDIR")
    relocated = False
    if not os.path.isfile(os.path.join(includepy, "Python.h")):
        here = sysconfig.get_paths().get("include", "")
        if os.path.isfile(os.path.join(here, "Python.h")):
            includepy, relocated = here, True
    if ldlibrary and not os.path.exists(os.path.join(libdir, ldlibrary)):
        here = os.path.join(sys.base_prefix, "lib")
        if os.path.exists(os.path.join(here, ldlibrary)):
            libdir, relocated = here, True
    libpython = os.path.join(libdir, ldlibrary) if ldlibrary else ""
    if not os.path.exists(libpython):
        libpython = ""
    return includepy, libdir, libpython, relocated


def main():
    gil_enabled = None
    if hasattr(sys, "_is_gil_enabled"):
        gil_enabled = bool(sys._is_gil_enabled())
    version = "%d.%d.%d" % sys.version_info[:3]
    if sys.version_info.releaselevel != "final":
        version += "%s%d" % (sys.version_info.releaselevel[0],
                             sys.version_info.serial)
    ldversion = config("LDVERSION") or (config("VERSION") + config("ABIFLAGS"))
    ldlibrary = config("LDLIBRARY")
    includepy, libdir, libpython, relocated = build_paths(ldlibrary)
    record = {
        "version": version,
        "hexversion": sys.hexversion,
        "implementation": sys.implementation.name,
        "gil_disabled_build": bool(config("Py_GIL_DISABLED")),
        "gil_enabled": gil_enabled,
        "abiflags": getattr(sys, "abiflags", ""),
        "compiler": platform.python_compiler(),
        "config_args": config("CONFIG_ARGS"),
        "executable": sys.executable,
        "prefix": sys.prefix,
        "includepy": includepy,
        "libdir": libdir,
        "ldlibrary": ldlibrary,
        "libpython": libpython,
        "relocated": relocated,
        "ldversion": ldversion,
        "build_date": " ".join(platform.python_build()[1:]),
        "shared": bool(config("Py_ENABLE_SHARED")),
        "cc": config("CC"),
        "machine": platform.machine(),
    }
    json.dump(record, sys.stdout, sort_keys=True)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
