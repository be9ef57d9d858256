package org.jvs.e2e;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.jvs.e2e.LvsLab.VipPlacement;
import org.jvs.service.ForwardingMethod;

/**
 * Runs a case of a lab matrix only in the cells of these methods and VIP placements (an empty list means any); in the
 * other cells it is reported as skipped, naming the cell. Read by {@link LvsLabExtension}.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@interface OnlyInCells {
    ForwardingMethod[] methods() default {};

    VipPlacement[] placements() default {};
}
