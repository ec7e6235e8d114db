/**
 * Privacy operations (NDPA/NDPR, GDPR): the data map, data-subject requests with their deadlines,
 * subject-access exports with one-time downloads, erasure for every user (and its replay after a
 * restore), consent history and its enforcement, breach incidents on the 72-hour clock. The rules are
 * SQL in database/compliance/; this package is the API and the jobs. Uses platform (web, jobs) and vip
 * (export: a VIP's own fields decrypted for their archive).
 */
@ApplicationModule(allowedDependencies = {"platform::web", "platform::jobs", "vip::export"})
package com.vipride.compliance;

import org.springframework.modulith.ApplicationModule;
