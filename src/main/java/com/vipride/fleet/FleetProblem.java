package com.vipride.fleet;

import com.vipride.platform.web.ApiException;
import org.springframework.http.HttpStatus;

/** Why a fleet request was refused before it reached the database. */
final class FleetProblem extends ApiException {

    private FleetProblem(HttpStatus status, String code, String detail) {
        super(status, code, detail);
    }

    static FleetProblem duplicatePlate(String plate) {
        return new FleetProblem(
                HttpStatus.CONFLICT, "duplicate-plate", "A vehicle with plate " + plate + " is already registered.");
    }

    static FleetProblem duplicateVin() {
        return new FleetProblem(HttpStatus.CONFLICT, "duplicate-vin", "A vehicle with this VIN is already registered.");
    }

    static FleetProblem documentTooLarge(long limit) {
        return new FleetProblem(
                HttpStatus.CONTENT_TOO_LARGE,
                "document-too-large",
                "A document file may be at most " + limit + " bytes.");
    }

    static FleetProblem emptyDocument() {
        return new FleetProblem(HttpStatus.BAD_REQUEST, "empty-document", "The document file is empty.");
    }

    static FleetProblem unsupportedDocumentType(String type, Object allowed) {
        return new FleetProblem(
                HttpStatus.UNSUPPORTED_MEDIA_TYPE,
                "unsupported-document-type",
                "Documents must be one of " + allowed + " and their content must match; got " + type + ".");
    }

    static FleetProblem notAVehicleKeeper() {
        return new FleetProblem(
                HttpStatus.FORBIDDEN,
                "access-denied",
                "Only a fleet admin (for their fleet) or an owner-operator (for themselves) registers vehicles.");
    }
}
