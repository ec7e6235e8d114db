package com.vipride.vip;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.Map;

/** The fields a VIP maintains themselves. Absent fields are left as they are. */
record VipSelfServiceRequest(
        @Size(max = 500) String homeAddress,
        @Size(max = 5) List<VipProfileRequest.@Valid EmergencyContact> emergencyContacts,
        @Size(max = 2000) String medicalNotes,
        @Size(max = 20) Map<@Size(max = 50) String, @Size(max = 200) String> preferences) {

    @Override
    public String toString() {
        return "VipSelfServiceRequest[redacted]";
    }
}
