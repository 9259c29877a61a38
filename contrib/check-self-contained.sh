#!/usr/bin/env bash
# Copyright (c) The HPIPS developers. Distributed under the MIT software license.
# Self-containment check (run first by contrib/test.sh): the build and the tests
# read nothing outside the repository. Fails, listing the offending lines, if a
# tracked file under test/, contrib/, cmake/, .ci/ or a CMakeLists.txt anywhere
# names the parent directory's shared folder. The pattern is assembled from two
# parts so that this script does not match itself.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    echo "check-self-contained.sh: not a git work tree; nothing to check" >&2
    exit 0
fi

pattern="\.\./""shared"
files=()
while IFS= read -r -d '' file; do
    # A tracked file deleted in the work tree has nothing to check.
    [ -f "$file" ] && files+=("$file")
done < <(git ls-files -z -- test contrib cmake .ci CMakeLists.txt '*/CMakeLists.txt')
if [ "${#files[@]}" -eq 0 ]; then
    echo "check-self-contained.sh: no files to check" >&2
    exit 1
fi
status=0
hits=$(grep -n -I -e "$pattern" -- "${files[@]}") || status=$?
if [ "$status" -eq 0 ]; then
    echo "check-self-contained.sh: these tracked files refer to a directory outside the repository:" >&2
    echo "$hits" >&2
    echo "Commit what they need under the repository (e.g. test/unit/data/) and read it from there." >&2
    exit 1
elif [ "$status" -ne 1 ]; then
    echo "check-self-contained.sh: grep failed (status $status)" >&2
    exit 1
fi
echo "check-self-contained.sh: ok (${#files[@]} files)"
