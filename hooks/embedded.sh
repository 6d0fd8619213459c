# >>> git-milestone {{hook}} >>>
# Added by `git milestone hooks install`; `git milestone hooks uninstall` removes these lines.
if command -v git-milestone >/dev/null 2>&1; then git-milestone hook {{hook}} "$@" || exit $?; else {{missing}}; fi
# <<< git-milestone {{hook}} <<<
