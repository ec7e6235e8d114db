/**
 * VIP protection: VIP profiles and their encrypted fields, envelope encryption and key rotation, VIP
 * location history, access logging, emergency override and geofencing. Uses platform.
 */
package com.vipride.vip;
