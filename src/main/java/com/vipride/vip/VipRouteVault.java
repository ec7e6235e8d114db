package com.vipride.vip;

import com.vipride.pricing.RouteVault;
import com.vipride.vip.crypto.FieldContext;
import com.vipride.vip.crypto.VipCipher;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * A VIP's route as one envelope under the VIP's subject key, bound to the row and column
 * ({@code route_enc}) it is stored in. Opening needs the subject key, which the database releases only
 * to those who may handle the VIP (the VIP, the driver of their active ride, the VIP roles).
 */
@Component
class VipRouteVault implements RouteVault {

    private static final String COLUMN = "route_enc";
    private static final int FORMAT = 1;

    private final VipCipher cipher;

    VipRouteVault(VipCipher cipher) {
        this.cipher = cipher;
    }

    @Override
    public byte[] seal(UUID rider, String table, UUID row, Route route) {
        return cipher.encrypt(rider, FieldContext.of(table, COLUMN, row), encode(route));
    }

    @Override
    public Route open(UUID rider, String table, UUID row, byte[] envelope) {
        return decode(cipher.decrypt(rider, FieldContext.of(table, COLUMN, row), envelope));
    }

    private static byte[] encode(Route route) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(FORMAT);
            out.writeDouble(route.pickupLat());
            out.writeDouble(route.pickupLng());
            writeNullable(out, route.pickupAddress());
            out.writeDouble(route.dropoffLat());
            out.writeDouble(route.dropoffLng());
            writeNullable(out, route.dropoffAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static Route decode(byte[] plaintext) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(plaintext))) {
            if (in.readByte() != FORMAT) {
                throw new IllegalStateException("unknown route format");
            }
            return new Route(
                    in.readDouble(),
                    in.readDouble(),
                    readNullable(in),
                    in.readDouble(),
                    in.readDouble(),
                    readNullable(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeNullable(DataOutputStream out, String value) throws IOException {
        out.writeBoolean(value != null);
        if (value != null) {
            out.writeUTF(value);
        }
    }

    private static String readNullable(DataInputStream in) throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }
}
