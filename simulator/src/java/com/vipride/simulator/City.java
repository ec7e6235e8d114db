package com.vipride.simulator;

import java.util.List;
import java.util.Map;

/**
 * What the seeding made: the people and places the traffic runs on. The drivers include the VIP chauffeur
 * (when VIP rides are on); the VIPs are riders of their own, who ride only with the chauffeur.
 */
record City(
        String run,
        String password,
        Session admin,
        List<SimDriver> drivers,
        List<Rider> riders,
        List<Rider> vips,
        Session support,
        Session responder,
        Session vipAdmin,
        Session hotelStaff,
        String hotelId,
        String roomTypeId,
        String vipUserId,
        Map<String, String> staffCredentials) {

    /** A rider of the simulation; busy while a ride or a booking of theirs is under way. */
    static final class Rider {
        final Session session;
        volatile boolean busy;

        Rider(Session session) {
            this.session = session;
        }
    }
}
