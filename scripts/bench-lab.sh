#!/usr/bin/env bash
# What users feel, measured beside the kernel in one run: for each MODE of the shared namespace lab
# (../shared/bench/lab.sh: fwd = plain kernel forwarding, nft = nftables DNAT, jvs-nat | jvs-fnat | jvs-dr | jvs-tun),
# in alternating rounds, medians printed at the end:
#   (a) the fraction of a steady one-way UDP stream delivered at fixed offered rates (udppace.py: paced against the
#       clock, never more than 8 datagrams ahead, so the load is steady, not line-rate bursts);
#   (b) UDP round-trip p50/p99 at 1000 requests/s (sockperf ping-pong);
#   (c) whole-machine CPU microseconds per forwarded packet at a fixed rate below saturation, the generator's own
#       cost subtracted: the same stream into a director that forwards nothing (ip_forward off, JVS stopped);
#   (d) saturating packets/s (trafgen flood) and connections/s (wrk) and (e) Gbit/s each way (iperf3), from the
#       shared lab's measure.sh.
# Usage (from the project root, as root): scripts/bench-lab.sh [-r ROUNDS] [-R "RATES"] [-c CPU_RATE] MODE...
#   e.g. scripts/bench-lab.sh -r 3 nft fwd jvs-nat
# A JVS mode may end in :wN to run the director with --workers N (default: one worker per core), in :nofp to run it
# with --no-fast-path (every packet through the director; by default the kernel forwards established connections),
# or in :fp with --fast-path (the default, but a start the kernel refuses stops), alone or together, e.g.
#   scripts/bench-lab.sh nft jvs-nat jvs-nat:nofp jvs-nat:w1:nofp jvs-nat:w2:nofp
# Every load is bounded in count and time; traffic stays in the lab's namespaces (198.18.0.0/15, 203.0.113.0/24).
set -u
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
shared=${SHARED_BENCH:-$root/../shared/bench}
rounds=3 rates="1000 10000 50000 100000" cpu_rate=50000 secs=3
while getopts r:R:c: o; do case $o in r) rounds=$OPTARG;; R) rates=$OPTARG;; c) cpu_rate=$OPTARG;; *) exit 2;; esac; done
shift $((OPTIND-1))
[ $# -gt 0 ] || { echo "usage: bench-lab.sh [-r ROUNDS] [-R RATES] [-c CPU_RATE] MODE..." >&2; exit 2; }
[ -x "$shared/lab.sh" ] || { echo "bench-lab.sh: no namespace lab at $shared (set SHARED_BENCH)" >&2; exit 1; }
for c in sockperf trafgen python3; do command -v $c >/dev/null || { echo "bench-lab.sh: needs $c" >&2; exit 1; }; done
pace=$root/src/test/resources/e2e/udppace.py
VIP=203.0.113.10
out=$(mktemp)
wrappers=$(mktemp -d)
trap '"$shared/lab.sh" down >/dev/null 2>&1; rm -rf "$out" "$wrappers"' EXIT

# the lab runs $P/jvs and $P/jvsadm: for a mode with suffixes (:wN, :fp, :nofp), P is a directory whose jvs adds
# their options (--workers N, --fast-path, --no-fast-path) to "director"
with_options() { # SUFFIXES (e.g. w2:fp): prints the directory
	local dir=$wrappers/${1//:/_} options="" suffix
	for suffix in ${1//:/ }; do
		case $suffix in
			w[0-9]*) options="$options --workers ${suffix#w}";;
			fp) options="$options --fast-path";;
			nofp) options="$options --no-fast-path";;
			*) echo "bench-lab.sh: unknown mode suffix :$suffix (expected :wN, :fp or :nofp)" >&2; exit 2;;
		esac
	done
	if [ ! -d "$dir" ]; then
		mkdir -p "$dir"
		printf '#!/bin/sh
if [ "$1" = director ]; then shift; exec "%s/jvs" director%s "$@"; fi
exec "%s/jvs" "$@"
' \
			"$root" "$options" "$root" >"$dir/jvs"
		chmod +x "$dir/jvs"
		ln -s "$root/jvsadm" "$dir/jvsadm"
	fi
	echo "$dir"
}
cd "$root"

udp_in() { ip netns exec jvsb-r awk '/^Udp:/ && $2 ~ /^[0-9]/ {print $2+$3+$4; exit}' /proc/net/snmp; }
# busy and total jiffies of the whole machine, from /proc/stat's first line
cpu() { awk '/^cpu / {b=$2+$3+$4+$7+$8; print b, b+$5+$6}' /proc/stat; }

# packets the real server's ingress sink counted
sink_in() { ip netns exec jvsb-r nft list chain netdev jvsbsink in | awk '/counter packets/ {print $3}'; }
# one steady stream: prints "delivered_fraction busy_seconds"; arrivals counted by COUNTER (default: UDP layer)
stream() { # RATE COUNT [COUNTER [spin|sleep]]
	local count=${3:-udp_in} b0 c0 c1 a
	b0=$($count); read -r c0 _ <<<"$(cpu)"
	ip netns exec jvsb-c timeout 60 python3 "$pace" send $VIP 9 "$1" "$2" 64 "${4:-spin}" >/dev/null
	sleep 0.3; read -r c1 _ <<<"$(cpu)"; a=$($count)
	python3 -c "print(($a-$b0)/$2, ($c1-$c0)/$(getconf CLK_TCK))"
}

round() { # MODE
	local mode=$1 r n f busy sink_busy delivered line lat
	"$shared/lab.sh" up "$mode" >/dev/null || { echo "bench-lab.sh: lab.sh up $mode failed" >&2; return 1; }
	ip netns exec jvsb-r python3 "$pace" sink 9 0.0.0.0 >/dev/null 2>&1 & local sink=$!
	sleep 0.5
	# warm-up at a low rate: the JIT compiles the hot path once, as in any long-running director
	stream 2000 4000 >/dev/null
	line="$mode"
	for r in $rates; do
		read -r f _ <<<"$(stream "$r" $((r * secs)))"
		line="$line delivered_$r=$f"
	done
	kill $sink 2>/dev/null; wait $sink 2>/dev/null
	# CPU: the sender sleeps between datagrams (a spinning sender would absorb the kernel's forwarding work done
	# in its own context and hide nftables' cost); the real server drops what arrives at its ingress and counts it
	# (no socket, no ICMP, no receiver's cost); the generator's own cost is the same stream into a director that
	# forwards nothing (ip_forward off, JVS stopped: its ring fills and the kernel drops at the ring's door)
	ip netns exec jvsb-r nft -f - <<N
table netdev jvsbsink {
	chain in {
		type filter hook ingress device r0 priority 0
		counter drop
	}
}
N
	n=$((cpu_rate * secs))
	read -r delivered busy <<<"$(stream "$cpu_rate" "$n" sink_in sleep)"
	ip netns exec jvsb-d sysctl -qw net.ipv4.ip_forward=0
	[ -f /tmp/jvsb-jvs.pid ] && kill -STOP "$(cat /tmp/jvsb-jvs.pid)"
	read -r _ sink_busy <<<"$(stream "$cpu_rate" "$n" sink_in sleep)"
	[ -f /tmp/jvsb-jvs.pid ] && kill -CONT "$(cat /tmp/jvsb-jvs.pid)"
	ip netns exec jvsb-d sysctl -qw net.ipv4.ip_forward=1
	ip netns exec jvsb-r nft delete table netdev jvsbsink
	line="$line cpu_us_per_packet=$(python3 -c "print(round(($busy-$sink_busy)*1e6/max(1,$delivered*$n),3))")"
	ip netns exec jvsb-r sockperf sr -i 0.0.0.0 -p 9 >/dev/null 2>&1 & local sp=$!
	sleep 0.5
	# warm-up: the round trip also runs the reply path, which the one-way streams never did
	ip netns exec jvsb-c sockperf pp -i $VIP -p 9 -t 2 --mps=1000 >/dev/null 2>&1
	lat=$(ip netns exec jvsb-c sockperf pp -i $VIP -p 9 -t 3 --mps=1000 2>&1)
	kill $sp 2>/dev/null; wait $sp 2>/dev/null
	line="$line p50_us=$(awk '/percentile 50.000/ {print $NF}' <<<"$lat") p99_us=$(awk '/percentile 99.000/ {print $NF}' <<<"$lat")"
	"$shared/lab.sh" down
	echo "$line"
}

for i in $(seq 1 "$rounds"); do
	for m in "$@"; do
		lab_mode=${m%%:*}
		if [ "$lab_mode" != "$m" ]; then export P; P=$(with_options "${m#*:}") || exit 2; else export P=$root; fi
		round "$lab_mode" | sed "s/^$lab_mode /$m /" | tee -a "$out" >&2
		"$shared/measure.sh" "$lab_mode" "$secs" | sed "s/^$lab_mode /$m /" | tee -a "$out" >&2
	done
done

python3 - "$out" "$rates" "$cpu_rate" "$@" <<'P'
import sys, statistics
path, rates, cpu_rate, modes = sys.argv[1], sys.argv[2].split(), sys.argv[3], sys.argv[4:]
rows = {}
for line in open(path):
    parts = line.split()
    if not parts: continue
    for kv in parts[1:]:
        k, _, v = kv.partition('=')
        try: rows.setdefault(parts[0], {}).setdefault(k, []).append(float(v))
        except ValueError: pass
def med(m, k, fmt):
    v = rows.get(m, {}).get(k)
    return fmt % statistics.median(v) if v else '-'
print('median of rounds')
head = ['mode'] + ['%skpps' % (int(r) // 1000 if int(r) >= 1000 else r) for r in rates] + \
       ['p50_us', 'p99_us', 'cpu_us/pkt@%dk' % (int(cpu_rate) // 1000), 'sat_pps', 'conn/s', 'up_Gbps', 'down_Gbps']
print(' | '.join(head))
for m in modes:
    fractions = [med(m, 'delivered_' + r, '%.6f') for r in rates]
    cells = [m] + ['%.2f%%' % (100 * float(f)) if f != '-' else f for f in fractions]
    cells += [med(m, 'p50_us', '%.0f'), med(m, 'p99_us', '%.0f'), med(m, 'cpu_us_per_packet', '%.2f'),
              med(m, 'udp_pps', '%.0f'), med(m, 'cps', '%.0f'), med(m, 'up_gbps', '%.2f'), med(m, 'down_gbps', '%.2f')]
    print(' | '.join(cells))
P
