#!/usr/bin/env bash
# Installs the tools the end-to-end tests run inside their network namespaces (Debian/Ubuntu).
# Idempotent and quiet: touches apt only when something is missing, and then runs apt-get update once.
set -euo pipefail

missing=()
need() { # need COMMAND PACKAGE
	command -v "$1" >/dev/null 2>&1 || missing+=("$2")
}
need ip iproute2
need socat socat
need curl curl
need openssl openssl
need python3 python3
need ps procps
need sha256sum coreutils
need nginx nginx-light
need ping iputils-ping
# DashboardE2eTest loads the dashboard in Debian's headless Chromium
need chromium chromium

if [ ${#missing[@]} -gt 0 ]; then
	if [ "$(id -u)" -ne 0 ]; then
		echo "install-test-deps: missing ${missing[*]}; run as root (the netns tests need root anyway)" >&2
		exit 1
	fi
	command -v apt-get >/dev/null 2>&1 || { echo "install-test-deps: no apt-get; install ${missing[*]} by hand" >&2; exit 1; }
	export DEBIAN_FRONTEND=noninteractive
	log=$(mktemp)
	# apt is chatty on stderr even when all is well: keep its output for the failure case only
	if ! { apt-get -qq update && apt-get -qq install -y --no-install-recommends "${missing[@]}"; } >"$log" 2>&1; then
		cat "$log" >&2
		rm -f "$log"
		echo "install-test-deps: apt-get could not install ${missing[*]}" >&2
		exit 1
	fi
	rm -f "$log"
fi

# The keepalived configuration tests read the sample configurations Debian's keepalived package ships (taken from
# the package unpacked aside, in case the installed package's documentation was excluded).
samples=/usr/share/doc/keepalived/samples
if [ ! -f "$samples/keepalived.conf.sample" ]; then
	if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
		echo "install-test-deps: $samples is missing; unpack Debian's keepalived package there (as root)" >&2
		exit 1
	fi
	work=$(mktemp -d)
	log=$work/apt.log
	if ! (cd "$work" && { apt-get download keepalived || { apt-get -qq update && apt-get download keepalived; }; } \
			&& dpkg-deb -x keepalived_*.deb unpacked) >"$log" 2>&1; then
		cat "$log" >&2
		rm -rf "$work"
		echo "install-test-deps: could not fetch Debian's keepalived package for its sample configurations" >&2
		exit 1
	fi
	mkdir -p "$samples"
	cp -r "$work"/unpacked/usr/share/doc/keepalived/samples/. "$samples"/
	rm -rf "$work"
fi

# The VRRP interoperability tests run a real keepalived (VRRP only) inside their namespaces as JVS's peer. The
# package is installed with service starts refused (policy-rc.d exit 101), so no keepalived daemon runs on the host.
if ! command -v keepalived >/dev/null 2>&1 && [ ! -x /usr/sbin/keepalived ]; then
	if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
		echo "install-test-deps: keepalived is missing; install Debian's keepalived package (as root)" >&2
		exit 1
	fi
	policy=/usr/sbin/policy-rc.d
	own_policy=no
	if [ ! -e "$policy" ]; then
		printf '#!/bin/sh\nexit 101\n' >"$policy"
		chmod +x "$policy"
		own_policy=yes
	fi
	log=$(mktemp)
	export DEBIAN_FRONTEND=noninteractive
	if ! { apt-get -qq install -y --no-install-recommends keepalived \
			|| { apt-get -qq update && apt-get -qq install -y --no-install-recommends keepalived; }; } >"$log" 2>&1; then
		cat "$log" >&2
		rm -f "$log"
		[ "$own_policy" = yes ] && rm -f "$policy"
		echo "install-test-deps: apt-get could not install keepalived" >&2
		exit 1
	fi
	rm -f "$log"
	[ "$own_policy" = yes ] && rm -f "$policy"
fi

# The JDK is not an apt package on Debian 12 (no openjdk-25); say so plainly instead of failing later.
. "$(cd "$(dirname "$(readlink -f "$0")")" && pwd)/jdk.sh"
jvs_find_jdk >/dev/null
