package com.vipride.vip.crypto;

import com.vipride.platform.web.ApiException;
import org.springframework.http.HttpStatus;

/** VIP data that cannot be decrypted: erased (its key was shredded) or not intact. */
final class VipDataUnavailable extends ApiException {

    private VipDataUnavailable(HttpStatus status, String code, String detail) {
        super(status, code, detail);
    }

    static VipDataUnavailable erased() {
        return new VipDataUnavailable(HttpStatus.GONE, "vip-data-erased", "This VIP's protected data has been erased.");
    }

    static VipDataUnavailable notIntact() {
        return new VipDataUnavailable(
                HttpStatus.INTERNAL_SERVER_ERROR,
                "vip-data-integrity",
                "Protected data failed its integrity check and was not returned.");
    }
}
