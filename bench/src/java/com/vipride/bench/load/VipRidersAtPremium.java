package com.vipride.bench.load;

import java.sql.SQLException;
import java.sql.Statement;

/**
 * The generator's VIP riders ride at the premium tier, for scenarios whose loaders or requests make rides
 * or fare quotes with plain pickup and drop-off points. A VIP's ride and quote hold their route only sealed
 * (an envelope the service makes under the VIP's subject key, which never enters the database), so bulk SQL
 * and requests with plain points cannot make them: such a run times non-VIP rides (a VIP's request adds a
 * second transaction and two envelope operations in the service).
 */
public final class VipRidersAtPremium {

    /** The report's sentence saying so. */
    public static final String NOTE = "VIP riders ride at the premium tier in this run: a VIP's ride and fare quote "
            + "hold their pickup and drop-off only sealed under the VIP's own key (made by the service; the key never "
            + "enters the database), which this benchmark's bulk SQL cannot make, so it measures non-VIP rides only.";

    private VipRidersAtPremium() {}

    /** Moves the loaded VIP riders ({@code public.users.tier = 'vip'}) to the premium tier; how many there were. */
    public static int apply(Statement superuser) throws SQLException {
        return superuser.executeUpdate("UPDATE public.users SET tier = 'premium' WHERE tier = 'vip'");
    }

    /**
     * {@link RideDataGenerator#tierOf(String)} with VIP as premium: the tier of rider {@code n} in a run after
     * {@link #apply(Statement)}, for the rides and quotes it makes.
     */
    public static String tierOf(String n) {
        String tier = RideDataGenerator.tierOf(n);
        return "(CASE WHEN " + tier + " = 'vip' THEN 'premium'::public.user_tier ELSE " + tier + " END)";
    }
}
