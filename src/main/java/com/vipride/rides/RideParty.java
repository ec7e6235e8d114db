package com.vipride.rides;

/** Whose rides a history lists, by the column that names them. */
enum RideParty {
    CUSTOMER("customer_id"),
    DRIVER("driver_id"),
    FLEET("fleet_company_id");

    private final String column;

    RideParty(String column) {
        this.column = column;
    }

    String column() {
        return column;
    }
}
