"""Prints what this interpreter is, as one JSON object, for ftmatrix.

Runs on every CPython ftmatrix measures (3.8 onwards), so it uses nothing
newer than the oldest of them.
"""
import json
import platform
import sys
import sysconfig


def config(name):
    value = sysconfig.get_config_var(name)
    return "" if value is None else value


def main():
    gil_enabled = None
    if hasattr(sys, "_is_gil_enabled"):
        gil_enabled = bool(sys._is_gil_enabled())
    version = "%d.%d.%d" % sys.version_info[:3]
    if sys.version_info.releaselevel != "final":
        version += "%s%d" % (sys.version_info.releaselevel[0],
                             sys.version_info.serial)
    ldversion = config("LDVERSION") or (config("VERSION") + config("ABIFLAGS"))
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
        "includepy": config("INCLUDEPY"),
        "libdir": config("LIBDIR"),
        "ldlibrary": config("LDLIBRARY"),
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
