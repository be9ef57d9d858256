package org.jvs.service;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.ByteOrder;

/** Test oracle: the C library's own inet_pton and inet_ntop for AF_INET6, which ipvsadm reads and prints through. */
final class Glibc {
    private static final int AF_INET6 = 10;
    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle INET_PTON = LINKER.downcallHandle(
            LINKER.defaultLookup().find("inet_pton").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS));
    private static final MethodHandle INET_NTOP = LINKER.downcallHandle(
            LINKER.defaultLookup().find("inet_ntop").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS,
                    ValueLayout.JAVA_INT));
    private static final ValueLayout.OfLong BIG_ENDIAN = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private Glibc() {
    }

    static String inetNtop(long hi, long lo) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment address = arena.allocate(16);
            address.set(BIG_ENDIAN, 0, hi);
            address.set(BIG_ENDIAN, 8, lo);
            MemorySegment text = arena.allocate(64);
            MemorySegment result = (MemorySegment) INET_NTOP.invokeExact(AF_INET6, address, text, 64);
            if (result.equals(MemorySegment.NULL)) {
                throw new IllegalStateException("inet_ntop failed");
            }
            return text.getString(0);
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    /** The address inet_pton reads from the text, or null where it refuses it. */
    static Ipv6 inetPton(String text) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment address = arena.allocate(16);
            int result = (int) INET_PTON.invokeExact(AF_INET6, arena.allocateFrom(text), address);
            return result == 1 ? new Ipv6(address.get(BIG_ENDIAN, 0), address.get(BIG_ENDIAN, 8)) : null;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }
}
