/**
 * What the vip capability offers the subject-access export: a VIP's own encrypted fields, decrypted for
 * the archive released to that VIP, each kind of field recorded in the VIP access log before its
 * plaintext is handed out. Exposed as the named interface {@code vip::export}.
 */
@NamedInterface("export")
package com.vipride.vip.export;

import org.springframework.modulith.NamedInterface;
