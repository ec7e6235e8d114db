/**
 * RFC 9457 problems (the {@link com.vipride.platform.web.ApiException} family and the database's own
 * refusals), paging and request limits. Exposed to the capabilities as the named interface
 * {@code platform::web}.
 */
@NamedInterface("web")
package com.vipride.platform.web;

import org.springframework.modulith.NamedInterface;
