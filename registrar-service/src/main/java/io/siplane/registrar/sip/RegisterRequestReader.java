package io.siplane.registrar.sip;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;

import javax.sip.address.SipURI;
import javax.sip.header.CSeqHeader;
import javax.sip.header.ContactHeader;
import javax.sip.header.ToHeader;
import javax.sip.header.UserAgentHeader;
import javax.sip.message.Request;

import io.siplane.location.AddressOfRecord;
import io.siplane.location.ReceivedFrom;
import io.siplane.registrar.register.RegisterRequest;
import io.siplane.registrar.register.RequestedContact;
import io.siplane.sip.digest.SipDigest;
import io.siplane.sip.message.ClientAddressResolver;
import io.siplane.sip.message.SipHeaders;
import io.siplane.sip.message.SourceAddress;

/** Reads a JAIN-SIP REGISTER into a {@link RegisterRequest}; anything unusable is an {@link InvalidRegisterException}. */
final class RegisterRequestReader {

    private final ClientAddressResolver clients;

    RegisterRequestReader(ClientAddressResolver clients) {
        this.clients = clients;
    }

    RegisterRequest read(Request request, SourceAddress source) throws InvalidRegisterException {
        if (!(request.getRequestURI() instanceof SipURI requestUri)) {
            // RFC 3261 §8.2.2.1: a Request-URI scheme we do not understand
            throw new InvalidRegisterException(416, "Unsupported URI Scheme");
        }
        CSeqHeader cseq = SipHeaders.first(request, CSeqHeader.NAME, CSeqHeader.class)
                .filter(c -> Request.REGISTER.equals(c.getMethod()))
                .orElseThrow(() -> new InvalidRegisterException(400, "Bad CSeq"));
        String callId = SipHeaders.callId(request);
        if (callId.isEmpty()) {
            throw new InvalidRegisterException(400, "Missing Call-ID");
        }
        AddressOfRecord aor = SipHeaders.addressUri(request, ToHeader.NAME)
                .flatMap(AddressOfRecord::tryParse)
                .orElseThrow(() -> new InvalidRegisterException(400, "Invalid To"));
        List<ContactHeader> contactHeaders = SipHeaders.all(request, ContactHeader.NAME, ContactHeader.class);
        boolean wildcard = contactHeaders.stream().anyMatch(ContactHeader::isWildCard);
        List<RequestedContact> contacts = new ArrayList<>();
        for (ContactHeader c : contactHeaders) {
            if (!c.isWildCard()) {
                contacts.add(contact(c));
            }
        }
        return new RegisterRequest(
                request.getMethod(),
                requestUri.toString(),
                requestUri.getHost().toLowerCase(Locale.ROOT),
                aor,
                callId,
                cseq.getSeqNumber(),
                contacts,
                wildcard,
                SipHeaders.expires(request),
                SipHeaders.optionTags(request, "Require"),
                SipHeaders.optionTags(request, "Supported").contains("path"),
                SipHeaders.values(request, "Path"),
                client(request, source),
                SipHeaders.value(request, UserAgentHeader.NAME),
                SipDigest.authorization(request));
    }

    private static RequestedContact contact(ContactHeader c) throws InvalidRegisterException {
        String uri = c.getAddress().getURI().toString();
        int expires = c.getExpires();
        Optional<Double> q = Optional.empty();
        String qText = c.getParameter("q");
        if (qText != null) {
            try {
                double value = Double.parseDouble(qText);
                // RFC 3261 §20.10 / §25.1: qvalue is 0 to 1
                if (value < 0.0 || value > 1.0) {
                    throw new InvalidRegisterException(400, "Invalid q-value");
                }
                q = Optional.of(value);
            } catch (NumberFormatException e) {
                throw new InvalidRegisterException(400, "Invalid q-value");
            }
        }
        OptionalInt regId = OptionalInt.empty();
        String regIdText = c.getParameter("reg-id");
        if (regIdText != null) {
            try {
                regId = OptionalInt.of(Integer.parseInt(regIdText));
            } catch (NumberFormatException e) {
                throw new InvalidRegisterException(400, "Invalid reg-id");
            }
        }
        Optional<String> instance = Optional.ofNullable(c.getParameter("+sip.instance")).map(RegisterRequestReader::unquote);
        return new RequestedContact(uri, expires < 0 ? OptionalInt.empty() : OptionalInt.of(expires), q, instance, regId);
    }

    /** The client's transport address: the phone's, not the gateway's (so lockout and the stored source concern it). */
    private ReceivedFrom client(Request request, SourceAddress source) {
        SourceAddress client = clients.clientOf(request, source);
        return new ReceivedFrom(client.transport().token(), client.address(), client.port());
    }

    private static String unquote(String s) {
        return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"") ? s.substring(1, s.length() - 1) : s;
    }
}
