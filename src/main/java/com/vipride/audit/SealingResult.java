package com.vipride.audit;

/**
 * What one call of the sealing job did.
 *
 * @param ran    whether this caller sealed; false when another instance held the sealing lock
 * @param sealed rows sealed (0 when it did not run)
 */
record SealingResult(boolean ran, int sealed) {

    static SealingResult skipped() {
        return new SealingResult(false, 0);
    }

    static SealingResult sealed(int rows) {
        return new SealingResult(true, rows);
    }
}
