package com.vipride.vip.geofence;

import com.vipride.platform.security.Caller;
import com.vipride.platform.security.CurrentCaller;
import com.vipride.platform.security.PlatformRole;
import com.vipride.platform.web.NotFound;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * A VIP's zones: the VIP manages their own (the "me" operations), VIP staff any VIP's. Every method is
 * one transaction as the caller, so the database's grants and policies decide; a refusal writes nothing.
 */
@Service
class GeofenceService {

    private final Geofences geofences;

    GeofenceService(Geofences geofences) {
        this.geofences = geofences;
    }

    @Transactional
    GeofenceView defineOwn(GeofenceRequest request) {
        UUID me = rider();
        GeofenceShape shape = GeofenceShape.of(request);
        if (!geofences.ownTier(me).filter("vip"::equals).isPresent()) {
            throw GeofenceProblem.vipTierRequired();
        }
        return geofences.insert(me, request, shape, me);
    }

    @Transactional(readOnly = true)
    List<GeofenceView> listOwn(boolean includeInactive) {
        return geofences.list(rider(), includeInactive);
    }

    @Transactional
    void deactivateOwn(UUID id) {
        UUID me = rider();
        geofences.deactivate(me, id, me).orElseThrow(() -> NotFound.of("geofence", id));
    }

    @Transactional
    GeofenceView defineFor(UUID vipUserId, GeofenceRequest request) {
        requireVip(vipUserId);
        GeofenceShape shape = GeofenceShape.of(request);
        return geofences.insert(vipUserId, request, shape, CurrentCaller.get().requireUserId());
    }

    @Transactional(readOnly = true)
    List<GeofenceView> listFor(UUID vipUserId, boolean includeInactive) {
        requireVip(vipUserId);
        return geofences.list(vipUserId, includeInactive);
    }

    @Transactional
    void deactivateFor(UUID vipUserId, UUID id) {
        requireVip(vipUserId);
        geofences
                .deactivate(vipUserId, id, CurrentCaller.get().requireUserId())
                .orElseThrow(() -> NotFound.of("geofence", id));
    }

    /** Staff name a VIP; the check itself is refused (403) to roles with no business with VIPs. */
    private void requireVip(UUID vipUserId) {
        if (!geofences.isVip(vipUserId)) {
            throw GeofenceProblem.vipNotFound(vipUserId);
        }
    }

    private static UUID rider() {
        Caller caller = CurrentCaller.get();
        if (caller.role() != PlatformRole.CUSTOMER_USER) {
            throw GeofenceProblem.ridersOnly();
        }
        return caller.requireUserId();
    }
}
