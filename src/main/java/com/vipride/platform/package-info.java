/**
 * Cross-cutting foundation every capability uses: the database session identity, the embedded
 * PostgreSQL default, security configuration and RFC 9457 errors. Depends on no capability.
 */
@ApplicationModule(type = ApplicationModule.Type.OPEN)
package com.vipride.platform;

import org.springframework.modulith.ApplicationModule;
