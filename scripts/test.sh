#!/usr/bin/env bash
# Full build and test, as CI runs it: installs the test tools, then ./mvnw -B verify with a JDK 25.
# Extra arguments go to Maven (e.g. -Dexclude.tags=netns to skip the tests that need root and namespaces).
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
"$root/scripts/install-test-deps.sh"
. "$root/scripts/jdk.sh"
jvs_find_jdk
cd "$root"
exec ./mvnw -B verify "$@"
