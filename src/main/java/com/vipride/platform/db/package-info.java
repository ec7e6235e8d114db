/**
 * The database session: transactions opened as their caller, and the embedded PostgreSQL default.
 * Exposed to the capabilities as the named interface {@code platform::db}.
 */
@NamedInterface("db")
package com.vipride.platform.db;

import org.springframework.modulith.NamedInterface;
