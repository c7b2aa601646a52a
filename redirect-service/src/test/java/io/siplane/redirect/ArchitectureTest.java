package io.siplane.redirect;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** CONVENTIONS.md: JAIN-SIP stays in the service's SIP adapter; the redirect server never knows the Redis schema. */
class ArchitectureTest {

    private final JavaClasses classes = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.siplane.redirect");

    @Test
    void jainSipTypesAreUsedOnlyInTheSipAdapterPackage() {
        noClasses().that().resideOutsideOfPackage("io.siplane.redirect.sip..")
                .should().dependOnClassesThat().resideInAnyPackage("javax.sip..", "gov.nist..")
                .check(classes);
    }

    @Test
    void theRedirectServerDoesNotTouchRedisOrTheTransportDirectly() {
        noClasses().should().dependOnClassesThat()
                .resideInAnyPackage("io.siplane.location.redis..", "org.springframework.data.redis..", "io.lettuce..",
                        "io.netty..")
                .check(classes);
    }
}
