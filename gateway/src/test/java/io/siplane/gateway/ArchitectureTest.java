package io.siplane.gateway;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** CONVENTIONS.md: JAIN-SIP stays in the gateway's SIP adapter; the rest (membership, routing, flood, HTTP) works on our own types. */
class ArchitectureTest {

    private final JavaClasses classes = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.siplane.gateway");

    @Test
    void jainSipTypesAreUsedOnlyInTheSipAdapterPackage() {
        noClasses().that().resideOutsideOfPackage("io.siplane.gateway.sip..")
                .should().dependOnClassesThat().resideInAnyPackage("javax.sip..", "gov.nist..")
                .check(classes);
    }
}
