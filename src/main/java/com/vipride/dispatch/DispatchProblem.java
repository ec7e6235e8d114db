package com.vipride.dispatch;

import com.vipride.platform.web.ApiException;
import org.springframework.http.HttpStatus;

/** Why a driver cannot do what they asked in dispatch. */
final class DispatchProblem extends ApiException {

    private DispatchProblem(HttpStatus status, String code, String detail) {
        super(status, code, detail);
    }

    static DispatchProblem notApproved(String status) {
        return new DispatchProblem(
                HttpStatus.CONFLICT,
                "driver-not-approved",
                "Only approved drivers can go online; your status is " + status + ".");
    }

    static DispatchProblem noActiveVehicle() {
        return new DispatchProblem(
                HttpStatus.CONFLICT, "no-active-vehicle", "Choose an active vehicle before going online.");
    }

    static DispatchProblem pingInFuture() {
        return new DispatchProblem(
                HttpStatus.BAD_REQUEST, "ping-in-future", "A position cannot be recorded in the future.");
    }
}
