/**
 * Notifications: messages to one user (public.notifications), written by the capabilities' SQL through
 * {@code public.notify} and read by their recipient; delivery channels read them later. Uses platform (web).
 */
@ApplicationModule(allowedDependencies = "platform::web")
package com.vipride.notifications;

import org.springframework.modulith.ApplicationModule;
