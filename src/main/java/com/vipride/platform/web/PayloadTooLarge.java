package com.vipride.platform.web;

import java.io.IOException;

/** Thrown while reading a request body that exceeds the configured limit. */
class PayloadTooLarge extends IOException {

    private final long limitBytes;

    PayloadTooLarge(long limitBytes) {
        super("Request body exceeds " + limitBytes + " bytes");
        this.limitBytes = limitBytes;
    }

    long limitBytes() {
        return limitBytes;
    }
}
