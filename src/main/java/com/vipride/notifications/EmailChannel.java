package com.vipride.notifications;

import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.MimeMessageHelper;

/** E-mail over SMTP with Spring's JavaMailSender (spring.mail.host and friends). */
class EmailChannel implements NotificationChannel {

    private final JavaMailSender mail;
    private final String from;

    EmailChannel(JavaMailSender mail, String from) {
        this.mail = mail;
        this.from = from;
    }

    @Override
    public String name() {
        return "email";
    }

    @Override
    public void send(OutboundMessage message) throws Exception {
        MimeMessage mime = mail.createMimeMessage();
        MimeMessageHelper helper = new MimeMessageHelper(mime, StandardCharsets.UTF_8.name());
        helper.setFrom(from);
        helper.setTo(message.email());
        helper.setSubject(message.subject());
        helper.setText(message.body());
        mime.setHeader("X-VipRide-Notification", message.notificationId().toString());
        mail.send(mime);
    }
}
