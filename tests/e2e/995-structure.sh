# The code's shape holds: no two files call each other unless they say
# they are one concern (scripts/file-graph), and every function the
# headers declare sits in the section of the file that defines it
# (scripts/header-sections). Both read the objects `make check` built.
. tests/e2e/lib.sh

ls orchestrator/*.o >/dev/null 2>&1 || fail "no objects in orchestrator/: build first"
python3 scripts/file-graph orchestrator -v --layers README.md ||
	fail "a cycle between files, or a call against the README's layers (above)"
python3 scripts/header-sections orchestrator || fail "a header section does not match its file (above)"
# the results boundary: loading and saving never reach libyaml or the
# bootstrap (only results-upgrade.c reads an old file's matrix text)
for o in orchestrator/results*.o; do
	case $o in */results-upgrade.o) continue ;; esac
	if nm "$o" | grep -Eq " U (yaml_|analysis_make|stats_summarize|stats_ratio|stats_speedup|matrix_text_workloads)"; then
		fail "$o calls above the results boundary: $(nm "$o" | grep -E ' U (yaml_|analysis_make|stats_summarize|stats_ratio|stats_speedup|matrix_text_workloads)')"
	fi
done
# jansson stays behind the JSON module and the results files
for c in orchestrator/*.c; do
	case $c in orchestrator/json.c | orchestrator/results*.c) continue ;; esac
	grep -q "jansson.h" "$c" && fail "$c includes jansson.h"
done
# command files are leaves: nothing calls into a cmd-*.c but main.c
python3 scripts/file-graph orchestrator --edges | awk '$3 ~ /^cmd-/ && $1 != "main" { print; bad = 1 } END { exit bad }' ||
	fail "a library file calls a command file (above)"
echo ok
