# Sourced by the launchers: finds a JDK 25 (JAVA_HOME first, then /usr/lib/jvm) and builds JVS on first use.
jvs_find_jdk() {
	local candidate version
	for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/*; do
		[ -n "$candidate" ] && [ -x "$candidate/bin/java" ] || continue
		# the release file names the version without starting a JVM (a JVM start per candidate is slow)
		version=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$candidate/release" 2>/dev/null)
		[ -n "$version" ] || version=$("$candidate/bin/java" -version 2>&1 | sed -n '1s/.*version "\([0-9]*\).*/\1/p')
		if [ "${version:-0}" -ge 25 ]; then
			export JAVA_HOME=$candidate
			return 0
		fi
	done
	echo "jvs: needs JDK 25 or newer (java.lang.foreign); set JAVA_HOME or install one under /usr/lib/jvm" >&2
	return 1
}

jvs_ensure_built() {
	local root=$1
	if [ ! -f "$root/target/jvs.jar" ] || [ -n "$(find "$root/src/main" "$root/pom.xml" -newer "$root/target/jvs.jar" -print -quit 2>/dev/null)" ]; then
		echo "jvs: building (first use or sources changed)..." >&2
		(cd "$root" && ./mvnw -q -B -DskipTests package) >&2 || { echo "jvs: build failed" >&2; return 1; }
	fi
}

jvs_exec() {
	local root=$1 main=$2; shift 2
	exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED --add-exports java.base/jdk.internal.misc=ALL-UNNAMED -XX:+UseSerialGC -XX:TieredStopAtLevel=${JVS_TIER:-4} \
		-cp "$root/target/jvs.jar:$root/target/lib/*" "$main" "$@"
}
