package com.vipride.notifications;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.mail.javamail.JavaMailSender;

/**
 * The channels: e-mail over SMTP when spring.mail.host is set (else the development sink), SMS and push
 * through their development sinks. A provider adapter replaces a sink by declaring a
 * {@link NotificationChannel} bean of the same name.
 */
@Configuration(proxyBeanMethods = false)
class ChannelsConfiguration {

    @Bean
    Channels notificationChannels(
            ObjectProvider<JavaMailSender> mail,
            NotificationsProperties properties,
            ObjectProvider<NotificationChannel> providers) {
        JavaMailSender sender = mail.getIfAvailable();
        NotificationChannel email = sender == null
                ? new DevSinkChannel("email")
                : new EmailChannel(sender, properties.mail().from());
        return new Channels(
                providers.orderedStream().toList(), email, new DevSinkChannel("sms"), new DevSinkChannel("push"));
    }
}
