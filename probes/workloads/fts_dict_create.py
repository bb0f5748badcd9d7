"""ftscalingbench-style: a two-key dict display, a new small dict per unit.

{"key": "value", "other": i} compiles (3.12, 3.13) to BUILD_CONST_KEY_MAP:
the keys come as one tuple constant, ("key", "other"), shared by every
thread through the code object. So this measures contention on a tuple
constant's reference count (immortal or not depending on how the module
was loaded, see load: main) as much as dict creation. fts_dict_one_key is
ftscalingbench's own create_dict, a one-key display without that tuple.
"""

DESCRIPTION = "build a two-key dict display (BUILD_CONST_KEY_MAP: a shared keys-tuple constant), per unit"
GROUP = "ftscaling"
UNIT = "dicts"
MEASURES = "ns per dict created and freed, keys from a tuple constant (wall)"


def run(n):
    d = None
    for i in range(n):
        d = {"key": "value", "other": i}
    return len(d)
