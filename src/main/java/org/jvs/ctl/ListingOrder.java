package org.jvs.ctl;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.jvs.api.IpAddress;
import org.jvs.api.RealServerSnapshot;
import org.jvs.api.ServiceSnapshot;

/**
 * The order ipvsadm lists services and real servers in: libipvs's ipvs_cmp_services / ipvs_cmp_dests run by
 * glibc's merge-sort qsort. Those comparators subtract 32-bit addresses and keep the wrapped difference, so
 * addresses more than 2^31 apart compare "backwards" (198.18.0.1 sorts before 10.0.0.1) and the relation is not
 * even transitive; reproducing both the comparator and the merge sort keeps the output identical anyway.
 */
final class ListingOrder {
    /** IPv4 before IPv6 (AF_INET 2, AF_INET6 10), TCP before UDP, then address, then port. */
    static final Comparator<ServiceSnapshot> SERVICES = (a, b) -> {
        int r = a.key().address().family().af() - b.key().address().family().af();
        if (r == 0) {
            r = a.key().protocol() - b.key().protocol();
        }
        if (r == 0) {
            r = addresses(a.key().address(), b.key().address());
        }
        return r != 0 ? r : a.key().port() - b.key().port();
    };

    /** Address, then port; the first server's family says how many words are compared, as in ipvs_cmp_dests. */
    static final Comparator<RealServerSnapshot> REAL_SERVERS = (a, b) -> {
        int r = addresses(a.address(), b.address());
        return r != 0 ? r : a.port() - b.port();
    };

    private ListingOrder() {
    }

    /** ntohl(word) - ntohl(word), wrapping, over one word for IPv4 and up to four for IPv6. */
    private static int addresses(IpAddress a, IpAddress b) {
        int words = a.isIpv4() ? 1 : 4;
        int r = 0;
        for (int i = 0; r == 0 && i < words; i++) {
            r = a.word(i) - b.word(i);
        }
        return r;
    }

    /** A sorted copy, by glibc's msort: halves sorted recursively, merged taking the left one on ties. */
    static <T> List<T> sorted(List<T> items, Comparator<? super T> order) {
        List<T> copy = new ArrayList<>(items);
        mergeSort(copy, 0, copy.size(), order);
        return copy;
    }

    private static <T> void mergeSort(List<T> items, int from, int to, Comparator<? super T> order) {
        int n = to - from;
        if (n <= 1) {
            return;
        }
        int middle = from + n / 2;
        mergeSort(items, from, middle, order);
        mergeSort(items, middle, to, order);
        List<T> merged = new ArrayList<>(n);
        int left = from;
        int right = middle;
        while (left < middle && right < to) {
            if (order.compare(items.get(left), items.get(right)) <= 0) {
                merged.add(items.get(left++));
            } else {
                merged.add(items.get(right++));
            }
        }
        while (left < middle) {
            merged.add(items.get(left++));
        }
        while (right < to) {
            merged.add(items.get(right++));
        }
        for (int i = 0; i < n; i++) {
            items.set(from + i, merged.get(i));
        }
    }
}
