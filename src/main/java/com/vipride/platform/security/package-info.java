/**
 * Who is calling: bearer-token authentication, the caller of the current transaction and its platform
 * role, and the identity of system jobs. Exposed to the capabilities as the named interface
 * {@code platform::security}.
 */
@NamedInterface("security")
package com.vipride.platform.security;

import org.springframework.modulith.NamedInterface;
