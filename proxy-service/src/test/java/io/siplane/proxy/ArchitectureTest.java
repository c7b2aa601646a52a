package io.siplane.proxy;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * CONVENTIONS.md: JAIN-SIP stays in the proxy's SIP adapter ({@code proxy.sip} and its sub-packages: the request
 * chain's steps, the fork contexts on the RI's client transactions, the request copier, the stateless relay); the
 * domain packages (routing, loop, fork decisions, record-route signature, metrics, the HA1 source) work on our types
 * and know nothing of the adapter.
 */
class ArchitectureTest {

    private static final String ADAPTER = "io.siplane.proxy.sip..";

    private final JavaClasses classes = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.siplane.proxy");

    @Test
    void jainSipTypesAreUsedOnlyInTheSipAdapterPackage() {
        noClasses().that().resideOutsideOfPackage(ADAPTER)
                .should().dependOnClassesThat().resideInAnyPackage("javax.sip..", "gov.nist..")
                .check(classes);
    }

    @Test
    void theDomainPackagesDoNotDependOnTheAdapter() {
        noClasses().that().resideOutsideOfPackage(ADAPTER).and().resideOutsideOfPackage("io.siplane.proxy")
                .should().dependOnClassesThat().resideInAPackage(ADAPTER)
                .check(classes);
    }

    @Test
    void aForkContextGetsItsCollaboratorsAsOneValueAndItsBranchesDoNotPointBack() {
        noClasses().that().haveSimpleName("ForkContext")
                .should().dependOnClassesThat().haveSimpleName("Forker")
                .check(classes);
        noClasses().that().haveSimpleName("Branch")
                .should().dependOnClassesThat().haveSimpleName("ForkContext")
                .check(classes);
    }

    @Test
    void theProxyDoesNotTouchRedisDirectly() {
        noClasses().should().dependOnClassesThat()
                .resideInAnyPackage("io.siplane.location.redis..", "org.springframework.data.redis..", "io.lettuce..")
                .check(classes);
    }
}
