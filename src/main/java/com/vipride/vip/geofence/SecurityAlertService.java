package com.vipride.vip.geofence;

import com.vipride.platform.security.CurrentCaller;
import com.vipride.platform.web.NotFound;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Geofence alerts (VIP staff read, vip_admin acknowledges; a VIP sees their own) and the monitoring list. */
@Service
class SecurityAlertService {

    private final SecurityAlerts alerts;

    SecurityAlertService(SecurityAlerts alerts) {
        this.alerts = alerts;
    }

    @Transactional(readOnly = true)
    List<SecurityAlertView> alerts(AlertStatus status, UUID vipUserId, int limit) {
        return alerts.list(status, vipUserId, limit);
    }

    @Transactional
    SecurityAlertView acknowledge(UUID id) {
        return alerts.acknowledge(id, CurrentCaller.get().requireUserId()).orElseThrow(() -> {
            if (alerts.findById(id).isPresent()) {
                return GeofenceProblem.alreadyAcknowledged(id);
            }
            return NotFound.of("alert", id);
        });
    }

    @Transactional(readOnly = true)
    List<MonitoringAlertView> monitoring(int limit) {
        return alerts.monitoring(limit);
    }
}
