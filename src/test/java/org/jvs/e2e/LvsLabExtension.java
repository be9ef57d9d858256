package org.jvs.e2e;

import static org.junit.jupiter.api.Assertions.fail;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeClassTemplateInvocationCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ClassTemplateInvocationContext;
import org.junit.jupiter.api.extension.ClassTemplateInvocationContextProvider;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.Extension;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.HierarchyTraversalMode;
import org.junit.platform.commons.support.ReflectionSupport;

/**
 * Owns the lifecycle of one {@link LabCell}'s lab for a test class: builds the {@link LvsLab}, starts the real servers'
 * HTTP, echo and UDP services, prepares the real servers for the cell's method (and tunnel), starts the director with
 * the cell's arguments and sets the test instance's fields of type {@link LabCell}, {@link LvsLab}, {@link Director},
 * {@link Client} and {@link SteadyUdp} (not yet started). Before each test it fails with the director's log if the
 * director died and empties the service table ({@code -C}); {@link OnlyInCells} keeps a case to some cells. The lab
 * lives in the JUnit context's store, which closes it when the class (or the cell) is done, whether it passed, failed
 * or never got the director started: no namespace outlives it.
 *
 * <p>A class of one cell registers it with {@code @RegisterExtension static final LvsLabExtension LAB =
 * LvsLabExtension.of(cell)}: the lab is up before the class's {@code @BeforeAll} methods run. A matrix is a
 * {@code @ClassTemplate} extended with {@link Cells}: it runs once per cell its static {@code cells()} method lists,
 * named by the cell ("NAT, IPv4, VIP on director lo"); {@code -Djvs.cells=nat,v6nat} keeps a run to some cells.
 * Either way the class must be {@code @TestInstance(PER_CLASS)};
 * a matrix's one instance gets the next cell's fields before that cell runs.
 */
final class LvsLabExtension implements BeforeAllCallback, BeforeClassTemplateInvocationCallback, BeforeEachCallback,
        ExecutionCondition {
    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(LvsLabExtension.class);

    private final LabCell cell;
    private boolean labServers = true;
    private boolean emptyServiceTable = true;
    private Director director;

    private LvsLabExtension(LabCell cell) {
        this.cell = cell;
    }

    static LvsLabExtension of(LabCell cell) {
        return new LvsLabExtension(cell);
    }

    /** The class runs its own services on the real servers (nginx, say) instead of the lab's. */
    LvsLabExtension withoutLabServers() {
        labServers = false;
        return this;
    }

    /** The services set up once (in the class's {@code @BeforeAll}, or by the director's {@code -f} file) stay. */
    LvsLabExtension keepingServiceTable() {
        emptyServiceTable = false;
        return this;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        start(context);
    }

    @Override
    public void beforeClassTemplateInvocation(ExtensionContext context) {
        start(context);
    }

    private void start(ExtensionContext context) {
        Object instance = context.getTestInstance().orElseThrow(() -> new ExtensionConfigurationException(
                context.getRequiredTestClass().getSimpleName() + " takes the lab's parts in its fields: annotate it "
                        + "@TestInstance(PER_CLASS)"));
        LvsLab lvs = LvsLab.build(cell.name(), cell.family(), cell.placement(), cell.returnPath());
        // the store closes the lab with the context, whatever happens from here on
        context.getStore(NAMESPACE).put(LvsLab.class, lvs);
        if (labServers) {
            lvs.startServers();
        }
        RealServerSetup.prepare(lvs, cell);
        director = new Director(lvs.lab, lvs.director);
        director.start(cell.directorArgs().toArray(String[]::new));
        inject(instance, Map.of(LabCell.class, () -> cell, LvsLab.class, () -> lvs, Director.class, () -> director,
                Client.class, () -> new Client(lvs), SteadyUdp.class, () -> new SteadyUdp(lvs, cell.tunnel())));
    }

    private static void inject(Object instance, Map<Class<?>, Supplier<?>> parts) {
        List<Field> fields = ReflectionSupport.findFields(instance.getClass(),
                field -> !Modifier.isStatic(field.getModifiers()) && parts.containsKey(field.getType()),
                HierarchyTraversalMode.TOP_DOWN);
        for (Field field : fields) {
            try {
                field.setAccessible(true);
                field.set(instance, parts.get(field.getType()).get());
            } catch (IllegalAccessException e) {
                throw new ExtensionConfigurationException("cannot set " + field, e);
            }
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (!director.running()) {
            fail("the director of " + cell + " died: " + director.log());
        }
        if (emptyServiceTable) {
            director.jvsadm("-C");
        }
    }

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        OnlyInCells only = context.getElement().flatMap(element -> AnnotationSupport.findAnnotation(element,
                OnlyInCells.class)).orElse(null);
        if (only == null) {
            return ConditionEvaluationResult.enabled("runs in every cell");
        }
        boolean method = only.methods().length == 0 || List.of(only.methods()).contains(cell.method());
        boolean placement = only.placements().length == 0 || List.of(only.placements()).contains(cell.placement());
        return method && placement ? ConditionEvaluationResult.enabled("runs in " + cell)
                : ConditionEvaluationResult.disabled("not a case of " + cell);
    }

    /**
     * Runs a {@code @ClassTemplate} once per cell of its static {@code cells()} method, each in its own lab; with the
     * system property {@value #ONLY_CELLS_PROPERTY} (lab names, comma-separated: {@code -Djvs.cells=fpnat,v6nat}) only
     * those cells, so that one can run the cells one works on beside other runs of the matrix.
     */
    static final class Cells implements ClassTemplateInvocationContextProvider {
        /** {@code -Djvs.cells=v6nat,v6dr}: run only the cells of these lab names (all when unset). */
        static final String ONLY_CELLS_PROPERTY = "jvs.cells";

        @Override
        public boolean supportsClassTemplate(ExtensionContext context) {
            return true;
        }

        @Override
        public Stream<ClassTemplateInvocationContext> provideClassTemplateInvocationContexts(ExtensionContext context) {
            Class<?> testClass = context.getRequiredTestClass();
            Method cellsMethod = ReflectionSupport.findMethod(testClass, "cells").filter(m -> Modifier.isStatic(
                    m.getModifiers())).orElseThrow(() -> new ExtensionConfigurationException(
                    testClass.getSimpleName() + " needs a static List<LabCell> cells()"));
            List<?> cells = (List<?>) ReflectionSupport.invokeMethod(cellsMethod, null);
            Set<String> names = new HashSet<>();
            for (Object cell : cells) {
                if (!names.add(((LabCell) cell).name())) {
                    throw new ExtensionConfigurationException("two cells of " + testClass.getSimpleName()
                            + " share the lab name '" + ((LabCell) cell).name() + "'");
                }
            }
            String only = System.getProperty(ONLY_CELLS_PROPERTY, "").strip();
            Set<String> wanted = only.isEmpty() ? null : Set.of(only.split("\\s*,\\s*"));
            return cells.stream().filter(cell -> wanted == null || wanted.contains(((LabCell) cell).name()))
                    .map(cell -> invocation((LabCell) cell));
        }

        private static ClassTemplateInvocationContext invocation(LabCell cell) {
            return new ClassTemplateInvocationContext() {
                @Override
                public String getDisplayName(int invocationIndex) {
                    return cell.toString();
                }

                @Override
                public List<Extension> getAdditionalExtensions() {
                    return List.of(new LvsLabExtension(cell));
                }
            };
        }
    }
}
