# >>> git-milestone {{hook}} >>>
# Added by `git milestone hooks install`; `git milestone hooks uninstall` removes these lines.
# git feeds this hook on stdin: keep a copy so that the rest of the hook reads it too.
__gm_in=$(mktemp "${TMPDIR:-/tmp}/git-milestone.XXXXXX") && cat > "$__gm_in" || exit 1
if command -v git-milestone >/dev/null 2>&1; then git-milestone hook {{hook}} "$@" < "$__gm_in" || { __gm_rc=$?; rm -f "$__gm_in"; exit $__gm_rc; }; else {{missing}}; fi
exec < "$__gm_in"; rm -f "$__gm_in"
# <<< git-milestone {{hook}} <<<
