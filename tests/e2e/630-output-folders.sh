# Output folders are never clobbered: a report replaces only the files its
# manifest lists (a reader's own charts/thesis-figure.svg stays), a folder
# that holds other things and no manifest is refused without --force, and
# a new chart set replaces the old one only when every chart was drawn
# whole (a gnuplot failure or a cut-short PNG keeps the old set).
. tests/e2e/lib.sh

t=$FTMATRIX_TEST_TMP/600
rm -rf "$t"
mkdir -p "$t/dl/charts" "$t/trunc" "$t/broken"
cd "$t"
fixture=$FTMATRIX_ROOT/tests/fixtures/results-small.json
cp "$fixture" dl/results.json
echo '<svg>my own figure</svg>' >dl/charts/thesis-figure.svg

# 1. a folder that is not ours
if "$FTMATRIX" report dl/results.json >refused.out 2>refused.err; then
	fail "report wrote into a folder that holds a reader's files"
fi
grep -q "dl: not an ftmatrix output directory" refused.err || { cat refused.err; fail "the refusal does not say why"; }
grep -q -- "--force" refused.err || fail "the refusal does not name --force"
[ ! -e dl/report.html ] || fail "a refused report wrote report.html"
"$FTMATRIX" report dl/results.json --force >forced.out 2>forced.err || { cat forced.err; fail "report --force"; }
[ -s dl/report.html ] && [ -s dl/charts/overhead.png ] || fail "report --force drew nothing"
grep -q "my own figure" dl/charts/thesis-figure.svg || fail "report --force removed the reader's figure"
grep -qx "charts/overhead.png" dl/.ftmatrix-manifest || fail "the manifest does not list the charts"
grep -q "thesis-figure" dl/.ftmatrix-manifest && fail "the manifest lists the reader's figure"
# now ours: no --force needed, the figure still stays, and a format list
# without svg removes only ftmatrix's SVGs
"$FTMATRIX" report dl/results.json --format html,png >again.out 2>again.err || { cat again.err; fail "second report"; }
grep -q "my own figure" dl/charts/thesis-figure.svg || fail "a second report removed the reader's figure"
[ ! -e dl/charts/overhead.svg ] || fail "--format html,png kept ftmatrix's SVGs"

# 2. run -o and compare -o into a folder holding a reader's report.html
mkdir mine
echo "my report" >mine/report.html
if "$FTMATRIX" run "$FTMATRIX_ROOT/matrices/quick.yaml" -o mine >run.out 2>run.err; then
	fail "run -o wrote into a folder that is not its own"
fi
grep -q "mine: not an ftmatrix output directory" run.err || { cat run.err; fail "run: the refusal does not say why"; }
if "$FTMATRIX" compare "$fixture" "$fixture" -o mine >cmp.out 2>cmp.err; then
	fail "compare -o wrote into a folder that is not its own"
fi
grep -q "mine: not an ftmatrix output directory" cmp.err || { cat cmp.err; fail "compare: the refusal does not say why"; }
[ "$(cat mine/report.html)" = "my report" ] || fail "the reader's report.html was overwritten"
[ ! -e mine/results.json ] || fail "a refused run wrote results.json"

# 3. charts swap in only whole: a gnuplot that cuts its PNGs short, and one
# that fails, each leave the last whole set
real=$(command -v gnuplot)
cat >trunc/gnuplot <<SH
#!/bin/sh
"$real" "\$@" || exit \$?
for f in *.png; do [ -f "\$f" ] && head -c 100 "\$f" >"\$f.cut" && mv "\$f.cut" "\$f"; done
exit 0
SH
cat >broken/gnuplot <<SH
#!/bin/sh
[ "\$1" = -e ] && exec "$real" "\$@"
echo "gnuplot: something went wrong" >&2
exit 1
SH
chmod +x trunc/gnuplot broken/gnuplot
"$FTMATRIX" report "$fixture" -o good >good.out 2>good.err || { cat good.err; fail "report"; }
before=$(cd good/charts && md5sum ./* | sort)
for kind in trunc broken; do
	if PATH=$t/$kind:$PATH "$FTMATRIX" report "$fixture" -o good >$kind.out 2>$kind.err; then
		fail "$kind: the report said it drew its charts"
	fi
	[ "$(cd good/charts && md5sum ./* | sort)" = "$before" ] || fail "$kind: the charts were replaced"
	ls -A good | grep -q '^\.charts-' && fail "$kind: a stage was left behind"
done
grep -q "cut short" trunc.err || { cat trunc.err; fail "a cut-short chart is not reported"; }
echo ok
