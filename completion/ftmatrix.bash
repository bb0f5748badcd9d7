# bash completion for ftmatrix: commands, each command's options (read from
# its --help) and workload names (from `ftmatrix list --names`).
_ftmatrix() {
	local cur prev cmd exe words
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD - 1]}
	exe=${COMP_WORDS[0]}
	COMPREPLY=()
	if [ "$COMP_CWORD" -eq 1 ]; then
		words=$("$exe" help 2>/dev/null | awk '/^  [a-z]/ { print $1 }')
		COMPREPLY=($(compgen -W "$words help -V --version" -- "$cur"))
		return
	fi
	cmd=${COMP_WORDS[1]}
	if [ "$cmd" = help ]; then
		words=$("$exe" help 2>/dev/null | awk '/^  [a-z]/ { print $1 }')
		COMPREPLY=($(compgen -W "$words" -- "$cur"))
		return
	fi
	case $prev in
	-w | --workload)
		words=$("$exe" list --names 2>/dev/null)
		COMPREPLY=($(compgen -W "$words" -- "$cur") $(compgen -f -X '!*.py' -- "$cur"))
		return
		;;
	-o | --output | --workloads)
		COMPREPLY=($(compgen -d -- "$cur"))
		return
		;;
	--python)
		COMPREPLY=($(compgen -W "uv: pyenv: source:debian: path:" -- "$cur") $(compgen -c -- "$cur"))
		return
		;;
	--format | --theme | --match | --threads | --repetitions | --samples | \
		--affinity | --token-env | --retries | --url)
		return
		;;
	esac
	if [[ $cur == -* ]]; then
		words=$("$exe" "$cmd" --help 2>/dev/null | grep -o -- '--[a-z][a-z-]*' | sort -u)
		COMPREPLY=($(compgen -W "$words" -- "$cur"))
		return
	fi
	case $cmd in
	run | validate | interpreters)
		COMPREPLY=($(compgen -f -X '!*.@(yaml|yml|py)' -- "$cur") $(compgen -d -- "$cur"))
		;;
	report | compare | publish)
		COMPREPLY=($(compgen -f -X '!*.json' -- "$cur") $(compgen -d -- "$cur"))
		;;
	esac
}
complete -F _ftmatrix ftmatrix
