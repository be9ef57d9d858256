package org.jvs;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** The arrows between layers point one way: the pure core never reaches into Linux drivers or the control plane. */
class LayeringTest {
    private static final String[] CORE = {
        "org.jvs.packet..", "org.jvs.conn..", "org.jvs.sched..", "org.jvs.stats..", "org.jvs.service..",
        "org.jvs.net..", "org.jvs.xmit..", "org.jvs.core..", "org.jvs.api..", "org.jvs.vrrp..", "org.jvs.sync..",
    };

    private final JavaClasses classes = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.jvs");

    @Test
    void coreShouldNotDependOnDriversOrControlPlane() {
        noClasses().that().resideInAnyPackage(CORE)
                .should().dependOnClassesThat().resideInAnyPackage("org.jvs.linux..", "org.jvs.ctl..", "org.jvs.app..")
                .check(classes);
    }

    @Test
    void driversShouldNotDependOnControlPlane() {
        noClasses().that().resideInAPackage("org.jvs.linux..")
                .should().dependOnClassesThat().resideInAnyPackage("org.jvs.ctl..", "org.jvs.app..")
                .check(classes);
    }

    @Test
    void controlPlaneShouldDriveTheDirectorOnlyThroughTheApi() {
        noClasses().that().resideInAPackage("org.jvs.ctl..")
                .should().dependOnClassesThat().resideInAnyPackage("org.jvs.core..", "org.jvs.linux..", "org.jvs.conn..",
                        "org.jvs.xmit..", "org.jvs.packet..")
                .check(classes);
    }

    @Test
    void keepalivedConfigurationShouldDriveTheDirectorOnlyThroughTheApi() {
        noClasses().that().resideInAPackage("org.jvs.keepalived..")
                .should().dependOnClassesThat().resideInAnyPackage("org.jvs.core..", "org.jvs.linux..", "org.jvs.conn..",
                        "org.jvs.xmit..", "org.jvs.packet..", "org.jvs.app..")
                .check(classes);
    }

    @Test
    void healthCheckersShouldKnowNothingOfTheDirector() {
        noClasses().that().resideInAPackage("org.jvs.check..")
                .should().dependOnClassesThat().resideInAnyPackage("org.jvs.core..", "org.jvs.linux..", "org.jvs.conn..",
                        "org.jvs.xmit..", "org.jvs.packet..", "org.jvs.app..", "org.jvs.ctl..", "org.jvs.keepalived..",
                        "org.jvs.api..")
                .check(classes);
    }

    @Test
    void httpEndpointShouldKnowNothingOfTheDirector() {
        noClasses().that().resideInAPackage("org.jvs.http..")
                .should().dependOnClassesThat().resideInAnyPackage("org.jvs.api..", "org.jvs.core..", "org.jvs.linux..",
                        "org.jvs.conn..", "org.jvs.xmit..", "org.jvs.packet..", "org.jvs.app..", "org.jvs.ctl..",
                        "org.jvs.keepalived..", "org.jvs.metrics..")
                .check(classes);
    }

    @Test
    void metricsShouldReadTheDirectorOnlyThroughTheirSource() {
        noClasses().that().resideInAPackage("org.jvs.metrics..")
                .should().dependOnClassesThat().resideInAnyPackage("org.jvs.core..", "org.jvs.linux..", "org.jvs.conn..",
                        "org.jvs.xmit..", "org.jvs.packet..", "org.jvs.app..", "org.jvs.ctl..", "org.jvs.keepalived..")
                .check(classes);
    }

    @Test
    void restApiShouldDriveTheDirectorOnlyThroughTheApi() {
        noClasses().that().resideInAPackage("org.jvs.rest..")
                .should().dependOnClassesThat().resideInAnyPackage("org.jvs.core..", "org.jvs.linux..", "org.jvs.conn..",
                        "org.jvs.xmit..", "org.jvs.packet..", "org.jvs.sched..", "org.jvs.app..", "org.jvs.ctl..",
                        "org.jvs.keepalived..", "org.jvs.metrics..", "org.jvs.check..", "org.jvs.vrrp..", "org.jvs.sync..")
                .check(classes);
    }

    @Test
    void dashboardShouldReadTheDirectorOnlyThroughTheMetricsSource() {
        noClasses().that().resideInAPackage("org.jvs.dashboard..")
                .should().dependOnClassesThat().resideInAnyPackage("org.jvs.core..", "org.jvs.linux..", "org.jvs.conn..",
                        "org.jvs.xmit..", "org.jvs.packet..", "org.jvs.app..", "org.jvs.ctl..", "org.jvs.keepalived..",
                        "org.jvs.check..")
                .check(classes);
    }
}
