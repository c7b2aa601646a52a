package io.siplane.locationservice.sweeper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.siplane.location.LocationStore;
import io.siplane.location.LocationUnavailableException;

/** The sweep loop alone; the real sweep against Redis is proven by BindingExpiryTest. */
class ExpirySweeperTest {

    private final LocationStore store = mock(LocationStore.class);
    private final ExpirySweeper sweeper = new ExpirySweeper(store, new SweeperProperties(true, Duration.ofSeconds(1), 100, 5));

    @Test
    void sweepsBatchAfterBatchWhileBatchesComeBackFull() {
        when(store.sweepExpired(100)).thenReturn(100, 100, 37);

        assertThat(sweeper.sweep()).isEqualTo(237);
        verify(store, times(3)).sweepExpired(100);
    }

    @Test
    void leavesTheRestToTheNextRunAfterMaxBatches() {
        when(store.sweepExpired(100)).thenReturn(100);

        assertThat(sweeper.sweep()).isEqualTo(500);
        verify(store, times(5)).sweepExpired(100);
    }

    @Test
    void survivesAnUnavailableStoreAndSweepsAgainOnTheNextRun() {
        when(store.sweepExpired(100))
                .thenThrow(new LocationUnavailableException("down", null))
                .thenReturn(3);

        assertThat(sweeper.sweep()).isZero();
        assertThat(sweeper.sweep()).isEqualTo(3);
    }
}
