/**
 * Notifications: messages to one user (public.notifications), written by the capabilities' SQL through
 * {@code public.notify} together with their outbox rows in the same transaction; the delivery job that
 * sends them over e-mail, SMS and push with retries, backoff, a dead-letter state and a delivery log;
 * templates per language and each user's preferences; and the live streams (Server-Sent Events fed by
 * each instance reading the new rows of public.stream_events, read under row-level security). Uses platform (security, web, jobs).
 */
@ApplicationModule(allowedDependencies = {"platform::security", "platform::web", "platform::jobs"})
package com.vipride.notifications;

import org.springframework.modulith.ApplicationModule;
