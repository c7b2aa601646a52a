package io.siplane.sip.tcp;

/**
 * Follows SIP message boundaries in a TCP byte stream just enough to know whether a message is in progress and since
 * when (RFC 3261 §18.3: headers end with an empty line, Content-Length frames the body). The SIP stack does the real
 * parsing; a miscount here only moves a deadline.
 */
final class MessageClock {

    private enum State { BETWEEN, HEADERS, BODY }

    private State state = State.BETWEEN;
    private long started;
    private int lineLength;
    private boolean lineIsContentLength;
    private boolean afterColon;
    private boolean readingLength;
    private long contentLength;
    private long bodyLeft;
    private final StringBuilder name = new StringBuilder(16);

    boolean inMessage() {
        return state != State.BETWEEN;
    }

    long messageStarted() {
        return started;
    }

    void feed(byte[] b, int off, int len, long now) {
        for (int i = off; i < off + len; i++) {
            byte c = b[i];
            switch (state) {
                case BETWEEN -> {
                    if (c != '\r' && c != '\n') {
                        // RFC 5626 §3.5.1 keep-alives (CRLF) are not messages
                        state = State.HEADERS;
                        started = now;
                        contentLength = 0;
                        startLine();
                        header(c);
                    }
                }
                case HEADERS -> header(c);
                case BODY -> {
                    if (--bodyLeft <= 0) {
                        state = State.BETWEEN;
                    }
                }
            }
        }
    }

    private void header(byte c) {
        if (c == '\r') {
            return;
        }
        if (c == '\n') {
            if (lineLength == 0) {
                bodyLeft = contentLength;
                state = bodyLeft > 0 ? State.BODY : State.BETWEEN;
            }
            startLine();
            return;
        }
        lineLength++;
        if (afterColon) {
            if (readingLength) {
                if (c >= '0' && c <= '9' && contentLength < 100_000_000L) {
                    contentLength = contentLength * 10 + (c - '0');
                } else if (c != ' ' && c != '\t') {
                    readingLength = false;
                }
            }
        } else if (c == ':') {
            afterColon = true;
            String n = name.toString().strip();
            lineIsContentLength = n.equalsIgnoreCase("content-length") || n.equalsIgnoreCase("l");
            readingLength = lineIsContentLength;
            if (lineIsContentLength) {
                contentLength = 0;
            }
        } else if (name.length() < 16) {
            name.append((char) c);
        }
    }

    private void startLine() {
        lineLength = 0;
        afterColon = false;
        lineIsContentLength = false;
        readingLength = false;
        name.setLength(0);
    }
}
