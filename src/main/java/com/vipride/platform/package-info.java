/**
 * Cross-cutting foundation every capability uses: the database session identity, the embedded
 * PostgreSQL default, security configuration, RFC 9457 errors and the job scheduler. Depends on no
 * capability; others use it through its named interfaces security, web, db and jobs.
 */
@ApplicationModule(allowedDependencies = {})
package com.vipride.platform;

import org.springframework.modulith.ApplicationModule;
