#!/bin/sh
# >>> git-milestone {{hook}} >>>
# Installed by `git milestone hooks install`, which kept the hook that was here as
# {{hook}}.git-milestone-chained and runs it after its own; `git milestone hooks uninstall`
# puts it back.
__gm_in=$(mktemp "${TMPDIR:-/tmp}/git-milestone.XXXXXX") && { if [ -n "{{stdin}}" ]; then cat > "$__gm_in"; fi; } || exit 1
if command -v git-milestone >/dev/null 2>&1; then git-milestone hook {{hook}} "$@" < "$__gm_in" || { __gm_rc=$?; rm -f "$__gm_in"; exit $__gm_rc; }; else {{missing}}; fi
if [ -n "{{stdin}}" ]; then exec < "$__gm_in"; fi; rm -f "$__gm_in"
exec "$(dirname "$0")/{{hook}}.git-milestone-chained" "$@"
# <<< git-milestone {{hook}} <<<
