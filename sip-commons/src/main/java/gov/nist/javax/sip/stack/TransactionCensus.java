package gov.nist.javax.sip.stack;

import java.util.List;
import java.util.function.Function;

import javax.sip.SipStack;
import javax.sip.TransactionState;
import javax.sip.message.Request;
import javax.sip.message.Response;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transactions of a stack that still wait for something, for a graceful shutdown (Siplane; lives in the RI's
 * package because the transaction tables are not public).
 *
 * <p>In flight: server transactions without a final response yet (Trying, Proceeding: a ringing INVITE at a proxy)
 * and client transactions without one (Calling, Trying, Proceeding). Transactions that only absorb retransmissions
 * after their final response (Completed, Confirmed) are not waited for: their outcome is decided.
 */
public final class TransactionCensus {

    private static final Logger log = LoggerFactory.getLogger("io.siplane.sip.shutdown");

    private TransactionCensus() {
    }

    /** Server and client transactions of {@code stack} still waiting for a final response. */
    public static int inFlight(SipStack stack) {
        if (!(stack instanceof SIPTransactionStack s)) {
            return 0;
        }
        int n = 0;
        for (SIPServerTransaction st : s.serverTransactionTable.values()) {
            if (pending(st.getState())) {
                n++;
            }
        }
        for (SIPClientTransaction ct : s.clientTransactionTable.values()) {
            if (pending(ct.getState()) || ct.getState() == TransactionState.CALLING) {
                n++;
            }
        }
        return n;
    }

    /**
     * Sends a final response, built by {@code answer} from the request, on every server transaction that has none
     * yet, so that no client is left waiting when the stack stops.
     *
     * @return how many were answered
     */
    public static int answerPending(SipStack stack, Function<Request, Response> answer) {
        if (!(stack instanceof SIPTransactionStack s)) {
            return 0;
        }
        int answered = 0;
        for (SIPServerTransaction st : List.copyOf(s.serverTransactionTable.values())) {
            if (!pending(st.getState())) {
                continue;
            }
            try {
                st.sendResponse(answer.apply(st.getRequest()));
                answered++;
            } catch (Exception e) {
                log.debug("could not answer a pending {} transaction: {}", st.getMethod(), e.toString());
            }
        }
        return answered;
    }

    private static boolean pending(TransactionState state) {
        // a transaction the application just created has no state yet
        return state == null || state == TransactionState.TRYING || state == TransactionState.PROCEEDING;
    }
}
