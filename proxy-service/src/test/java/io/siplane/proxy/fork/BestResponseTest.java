package io.siplane.proxy.fork;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.siplane.proxy.routing.ContactTarget;

class BestResponseTest {

    @Test
    void anySixHundredWinsOverLowerClasses() {
        assertThat(BestResponse.choose(List.of(302, 486, 603, 500))).isEqualTo(2);
    }

    @Test
    void otherwiseTheLowestClassWins() {
        assertThat(BestResponse.choose(List.of(500, 486, 302))).isEqualTo(2);
        assertThat(BestResponse.choose(List.of(503, 404))).isEqualTo(1);
    }

    @Test
    void withinAClassChallengesWinThenTellingAnswersOverNoAnswer() {
        assertThat(BestResponse.choose(List.of(486, 407))).isEqualTo(1);
        assertThat(BestResponse.choose(List.of(408, 480, 486))).isEqualTo(2);
        assertThat(BestResponse.choose(List.of(408, 480))).isEqualTo(1);
        assertThat(BestResponse.choose(List.of(503, 502))).isEqualTo(1);
    }

    @Test
    void tiesGoToTheFirstThatArrived() {
        assertThat(BestResponse.choose(List.of(404, 486, 403))).isZero();
    }

    @Test
    void targetsOfEqualQAreOneParallelGroupAndGroupsGoHighestQFirst() {
        ContactTarget a = new ContactTarget("sip:a@192.0.2.1", 0.5, List.of(), Optional.empty());
        ContactTarget b = new ContactTarget("sip:b@192.0.2.2", 1.0, List.of(), Optional.empty());
        ContactTarget c = new ContactTarget("sip:c@192.0.2.3", 0.5, List.of(), Optional.empty());
        ContactTarget d = new ContactTarget("sip:d@192.0.2.4", 1.0, List.of(), Optional.empty());

        assertThat(ForkPlan.byQ(List.of(a, b, c, d))).containsExactly(List.of(b, d), List.of(a, c));
    }

    @Test
    void aChosenChallengeCollectsTheOthersAndAChosen503Becomes500() {
        assertThat(BestResponse.treatmentOf(407)).isEqualTo(BestResponse.Treatment.MERGE_CHALLENGES);
        assertThat(BestResponse.treatmentOf(401)).isEqualTo(BestResponse.Treatment.MERGE_CHALLENGES);
        assertThat(BestResponse.treatmentOf(503)).isEqualTo(BestResponse.Treatment.AS_500);
        assertThat(BestResponse.treatmentOf(486)).isEqualTo(BestResponse.Treatment.AS_IS);
    }

    @Test
    void a2xxAnswersA6xxEndsTheSearchAndOtherFinalsAreKept() {
        assertThat(FinalEffect.of(200)).isEqualTo(FinalEffect.ANSWERED);
        assertThat(FinalEffect.of(299)).isEqualTo(FinalEffect.ANSWERED);
        assertThat(FinalEffect.of(603)).isEqualTo(FinalEffect.GLOBAL_FAILURE);
        assertThat(FinalEffect.of(302)).isEqualTo(FinalEffect.KEPT);
        assertThat(FinalEffect.of(503)).isEqualTo(FinalEffect.KEPT);
    }
}
