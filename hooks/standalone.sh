#!/bin/sh
# >>> git-milestone {{hook}} >>>
# Installed by `git milestone hooks install`; `git milestone hooks uninstall` removes it.
command -v git-milestone >/dev/null 2>&1 || { {{missing}}; exit 0; }
exec git-milestone hook {{hook}} "$@"
# <<< git-milestone {{hook}} <<<
