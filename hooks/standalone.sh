#!/bin/sh
# >>> git-milestone {{hook}} >>>
# Installed by `git milestone hooks install`; `git milestone hooks uninstall` removes it.
command -v git-milestone >/dev/null 2>&1 || { echo "git-milestone is not on PATH: its {{hook}} hook did nothing" >&2; exit 0; }
exec git-milestone hook {{hook}} "$@"
# <<< git-milestone {{hook}} <<<
