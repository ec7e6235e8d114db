/**
 * Console: the staff console in the browser, plain HTML, ES modules and CSS served from the jar under
 * {@code /console/}, with its third-party assets as WebJars. Every page calls the REST API with the
 * signed-in user's bearer token, so the database decides what each role sees; this package only serves
 * the files and their Content-Security-Policy. Uses nothing else.
 */
@ApplicationModule(allowedDependencies = {})
package com.vipride.console;

import org.springframework.modulith.ApplicationModule;
