#!/usr/bin/env bash
# Data-plane micro-benchmarks: builds the test classes, runs DirectorBenchmark (JMH) with the GC profiler and
# prints frames/s with the bytes allocated per frame, which must stay ~0 (the hot path allocates nothing).
# Extra arguments go to JMH, e.g. scripts/bench-jmh.sh -f 3 -i 5, or a different benchmark regex.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/jdk.sh
. "$root/scripts/jdk.sh"
jvs_find_jdk
cd "$root"

./mvnw -q -B test-compile
./mvnw -q -B dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt
classpath="target/test-classes:target/classes:$(cat target/bench-classpath.txt)"
results=target/jmh-director.csv

if [ $# -eq 0 ]; then
	set -- DirectorBenchmark
fi
# JMH 1.37 still uses sun.misc.Unsafe field offsets; allow them quietly
"$JAVA_HOME/bin/java" --sun-misc-unsafe-memory-access=allow -cp "$classpath" org.openjdk.jmh.Main -prof gc -rf csv -rff "$results" "$@"

echo
echo "frames/s through Director.onFrame (1 thread), and bytes allocated per frame:"
# JMH's CSV: "Benchmark","Mode","Threads","Samples","Score","Score Error (99.9%)","Unit"
awk -F, '
	{ for (i = 1; i <= NF; i++) gsub(/"/, "", $i) }
	NR > 1 && $1 !~ /:/ { name = $1; sub(/.*\./, "", name); order[++n] = name; score[name] = $5; error[name] = $6 }
	NR > 1 && $1 ~ /:gc\.alloc\.rate\.norm$/ { name = $1; sub(/:.*/, "", name); sub(/.*\./, "", name); alloc[name] = $5 }
	END {
		printf "%-12s %15s %12s %10s\n", "case", "frames/s", "+-", "B/frame"
		for (i = 1; i <= n; i++) {
			name = order[i]
			printf "%-12s %15.0f %12.0f %10.3f\n", name, score[name], error[name], alloc[name]
		}
	}' "$results"
