package com.vipride.vip;

import com.vipride.platform.web.ApiException;
import org.springframework.http.HttpStatus;

/** Refusals specific to VIP protection. */
final class VipProblem extends ApiException {

    private VipProblem(HttpStatus status, String code, String detail) {
        super(status, code, detail);
    }

    static VipProblem notAVipCustomer() {
        return new VipProblem(HttpStatus.NOT_FOUND, "vip-not-found", "No such VIP is visible to you.");
    }

    static VipProblem profileExists() {
        return new VipProblem(HttpStatus.CONFLICT, "vip-profile-exists", "This user already has a VIP profile.");
    }

    static VipProblem purposeRequired() {
        return new VipProblem(
                HttpStatus.BAD_REQUEST,
                "purpose-required",
                "Reading VIP data needs a purpose: add ?purpose=… (it is recorded in the access log).");
    }

    static VipProblem batchTooLarge(int max) {
        return new VipProblem(HttpStatus.BAD_REQUEST, "batch-too-large", "A batch holds at most " + max + " points.");
    }

    static VipProblem noActiveEmergency() {
        return new VipProblem(
                HttpStatus.NOT_FOUND, "no-active-emergency", "No open emergency of yours is visible to you.");
    }
}
