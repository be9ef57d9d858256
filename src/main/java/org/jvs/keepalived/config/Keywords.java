package org.jvs.keepalived.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The keywords keepalived 2.2.7 knows in each block (its install_keyword calls in core/global_parser.c,
 * check/check_parser.c, check/check_*.c, vrrp/vrrp_parser.c, bfd/bfd_parser.c, trackers/track_file.c), plus the
 * DPVS additions (FNAT, local_address_group, laddr_group_name, proxy_protocol ...). A keyword in these sets that JVS
 * does not implement is warned about; a word outside them is an error. Blocks JVS skips whole (vrrp_instance, ...)
 * need only their root keyword here.
 */
final class Keywords {
    private Keywords() {
    }

    static final Set<String> ROOT = set(
            // core/global_parser.c
            "linkbeat_use_polling", "net_namespace", "net_namespace_ipvs", "namespace_with_ipsets", "use_pid_dir",
            "instance", "child_wait_time", "global_defs",
            // check/check_parser.c
            "SSL", "virtual_server_group", "virtual_server",
            // vrrp/vrrp_parser.c
            "track_group", "static_ipaddress", "static_routes", "static_rules", "vrrp_sync_group", "garp_group",
            "linkbeat_interfaces", "vrrp_instance", "vrrp_script", "vrrp_track_process", "interface_up_down_delays",
            // bfd/bfd_parser.c, trackers/track_file.c
            "bfd_instance", "track_file", "vrrp_track_file",
            // DPVS tools/keepalived
            "local_address_group", "deny_address_group", "allow_address_group", "tunnel_group");

    static final Set<String> GLOBAL_DEFS = set(
            "process_names", "process_name", "vrrp_process_name", "checker_process_name", "lvs_process_name",
            "bfd_process_name", "router_id", "notification_email_from", "smtp_server", "smtp_helo_name",
            "smtp_connect_timeout", "notification_email", "smtp_alert", "startup_script", "startup_script_timeout",
            "shutdown_script", "shutdown_script_timeout", "max_auto_priority", "min_auto_priority_delay",
            "smtp_alert_vrrp", "smtp_alert_checker", "checker_log_all_failures", "dynamic_interfaces",
            "no_email_faults", "default_interface", "disable_local_igmp", "lvs_timeouts", "lvs_flush",
            "lvs_flush_on_stop", "lvs_flush_onstop", "lvs_sync_daemon", "vrrp_mcast_group4", "vrrp_mcast_group6",
            "vrrp_garp_master_delay", "vrrp_garp_master_repeat", "vrrp_garp_master_refresh",
            "vrrp_garp_master_refresh_repeat", "vrrp_garp_lower_prio_delay", "vrrp_garp_lower_prio_repeat",
            "vrrp_down_timer_adverts", "vrrp_garp_interval", "vrrp_gna_interval", "vrrp_min_garp",
            "vrrp_garp_extra_if", "vrrp_vmac_garp_intvl", "vrrp_lower_prio_no_advert",
            "vrrp_higher_prio_send_advert", "vrrp_version", "vrrp_iptables", "vrrp_ipsets", "nftables",
            "nftables_priority", "nftables_ifindex", "nftables_ipvs", "nftables_ipvs_priority",
            "nftables_ipvs_start_fwmark", "nftables_counters", "vrrp_check_unicast_src", "vrrp_skip_check_adv_addr",
            "vrrp_strict", "vrrp_priority", "vrrp_no_swap", "vrrp_rt_priority", "vrrp_cpu_affinity",
            "vrrp_rlimit_rttime", "vrrp_rlimit_rtime", "notify_fifo", "notify_fifo_script", "vrrp_notify_fifo",
            "vrrp_notify_fifo_script", "vrrp_notify_priority_changes", "fifo_write_vrrp_states_on_reload",
            "lvs_notify_fifo", "lvs_notify_fifo_script", "checker_priority", "checker_no_swap", "checker_rt_priority",
            "checker_cpu_affinity", "checker_rlimit_rttime", "checker_rlimit_rtime", "bfd_priority", "bfd_no_swap",
            "bfd_rt_priority", "bfd_cpu_affinity", "bfd_rlimit_rttime", "bfd_rlimit_rtime", "snmp_socket",
            "enable_traps", "enable_snmp_vrrp", "enable_snmp_keepalived", "enable_snmp_rfc", "enable_snmp_rfcv2",
            "enable_snmp_rfcv3", "enable_snmp_checker", "enable_dbus", "dbus_service_name", "script_user",
            "enable_script_security", "vrrp_netlink_cmd_rcv_bufs", "vrrp_netlink_cmd_rcv_bufs_force",
            "vrrp_netlink_monitor_rcv_bufs", "vrrp_netlink_monitor_rcv_bufs_force", "process_monitor_rcv_bufs",
            "process_monitor_rcv_bufs_force", "lvs_netlink_cmd_rcv_bufs", "lvs_netlink_cmd_rcv_bufs_force",
            "lvs_netlink_monitor_rcv_bufs", "lvs_netlink_monitor_rcv_bufs_force", "rs_init_notifies",
            "no_checker_emails", "vrrp_rx_bufs_policy", "vrrp_rx_bufs_multiplier", "vrrp_startup_delay",
            "log_unknown_vrids", "vmac_prefix", "vmac_addr_prefix", "umask", "random_seed", "reload_check_config",
            "reload_time_file", "reload_repeat", "reload_file", "include_check", "config_save_dir",
            "tmp_config_directory", "data_use_instance");

    static final Set<String> CHECKERS = set("MISC_CHECK", "SMTP_CHECK", "TCP_CHECK", "PING_CHECK", "UDP_CHECK",
            "HTTP_GET", "SSL_GET", "DNS_CHECK", "FILE_CHECK", "BFD_CHECK");

    static final Set<String> VIRTUAL_SERVER = set(
            "ip_family", "retry", "delay_before_retry", "warmup", "connect_timeout", "delay_loop",
            "inhibit_on_failure", "lb_algo", "lvs_sched", "hashed", "ops", "flag-1", "flag-2", "flag-3", "sh-port",
            "sh-fallback", "mh-port", "mh-fallback", "lb_kind", "lvs_method", "persistence_engine",
            "persistence_timeout", "persistence_granularity", "protocol", "ha_suspend", "smtp_alert", "virtualhost",
            "snmp_name", "alpha", "omega", "quorum_up", "quorum_down", "quorum", "hysteresis", "weight",
            "sorry_server", "sorry_server_inhibit", "sorry_server_lvs_method", "real_server",
            // DPVS
            "establish_timeout", "proxy_protocol", "bps", "limit_proportion", "src-range", "dst-range", "oif", "iif",
            "hash_target", "laddr_group_name", "daddr_group_name", "waddr_group_name", "syn_proxy",
            "expire_quiescent_conn", "quic", "vip_bind_dev");

    static final Set<String> REAL_SERVER = union(set(
            "weight", "lvs_method", "uthreshold", "lthreshold", "inhibit_on_failure", "notify_up", "notify_down",
            "alpha", "retry", "delay_before_retry", "warmup", "connect_timeout", "delay_loop", "smtp_alert",
            "virtualhost", "snmp_name"), CHECKERS);

    static final Set<String> CHECKER_CONNECTION = set("connect_ip", "connect_port", "bindto", "bind_port",
            "bind_if", "connect_timeout", "fwmark");

    static final Set<String> CHECKER_COMMON = set("retry", "delay_before_retry", "warmup", "delay_loop", "alpha",
            "log_all_failures");

    static final Set<String> URL = set("path", "digest", "status_code", "virtualhost", "regex", "regex_no_match",
            "regex_options", "regex_min_offset", "regex_max_offset", "regex_stack");

    /** The keywords of one checker block. */
    static Set<String> checker(String kind) {
        Set<String> common = "MISC_CHECK".equals(kind) ? CHECKER_COMMON : union(CHECKER_CONNECTION, CHECKER_COMMON);
        return switch (kind) {
            case "HTTP_GET", "SSL_GET" -> union(common, set("nb_get_retry", "virtualhost", "http_protocol",
                    "enable_sni", "fast_recovery", "url"));
            case "MISC_CHECK" -> union(common, set("misc_path", "misc_timeout", "misc_dynamic", "user"));
            case "UDP_CHECK" -> union(common, set("payload", "require_reply", "min_reply_length", "max_reply_length"));
            case "DNS_CHECK" -> union(common, set("type", "name"));
            case "SMTP_CHECK" -> union(common, set("helo_name", "host"));
            default -> common;
        };
    }

    /** Fails on a word keepalived does not know in {@code block} (named as the message shows it). */
    static void requireKnown(ConfigNode node, Set<String> block, String blockName) throws ConfigException {
        if (!block.contains(node.keyword())) {
            throw new ConfigException(node.where(), "'" + Tokenizer.shorten(node.keyword()) + "' is not a "
                    + blockName + " keyword; expected one of " + expected(block, node.keyword()));
        }
    }

    /** The keywords of {@code block}, closest to {@code word} first, as an error message lists them. */
    static String expected(Set<String> block, String word) {
        final int shown = 10;
        List<String> sorted = new ArrayList<>(block);
        sorted.sort(Comparator.comparingInt((String k) -> distance(word, k)).thenComparing(Comparator.naturalOrder()));
        String list = String.join(", ", sorted.subList(0, Math.min(shown, sorted.size())));
        return sorted.size() > shown ? list + ", ..." : list;
    }

    /** Levenshtein distance, bounded in cost by the short keywords it compares. */
    static int distance(String a, String b) {
        final int maxChars = 64;
        a = a.length() > maxChars ? a.substring(0, maxChars) : a;
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    private static Set<String> set(String... words) {
        return Set.copyOf(new LinkedHashSet<>(List.of(words)));
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> u = new LinkedHashSet<>(a);
        u.addAll(b);
        return Set.copyOf(u);
    }
}
