// Fleet: the fleet admin's own fleet — drivers, vehicles, documents by expiry, leases and their
// statements, and driver performance from the fleet's recent rides.

import { api, query } from '../api.js';
import { h, clear, card, table, when, money, isoDate } from '../dom.js';

// A date without expiry ('infinity' in the database) is not an ISO day: it sorts last.
function dayKey(date) {
  if (!date) return '0000-00-00';
  return /^\d{4}-\d\d-\d\d$/.test(date) ? date : '9999-12-31';
}

function expiryClass(date) {
  if (!date) return 'expired';
  if (dayKey(date) === '9999-12-31') return 'ok';
  const days = (new Date(`${date}T00:00:00Z`).getTime() - Date.now()) / 86400_000;
  if (days < 0) return 'expired';
  if (days <= 30) return 'soon';
  return 'ok';
}

function expiryCell(date) {
  const cls = expiryClass(date);
  if (date && dayKey(date) === '9999-12-31') return h('span', { class: 'ok' }, 'no expiry recorded');
  const label = cls === 'expired' ? (date ? 'expired' : 'no valid documents') : cls === 'soon' ? 'expires soon' : 'valid';
  return h('span', { class: cls }, `${date ?? '—'} (${label})`);
}

export async function render({ me, showError, root }) {
  if (!me.fleetId) {
    clear(root, h('h1', {}, 'Fleet'), h('p', {}, 'This account administers no fleet.'));
    return null;
  }
  const id = me.fleetId;
  clear(root, h('h1', {}, 'Fleet'), h('p', {}, 'Loading…'));
  const [fleet, drivers, vehicles, leases, rides] = await Promise.all([
    api(`/api/v1/fleets/${id}`),
    api(`/api/v1/fleets/${id}/drivers${query({ limit: 200 })}`),
    api(`/api/v1/fleets/${id}/vehicles${query({ limit: 200 })}`),
    api(`/api/v1/fleets/${id}/leases${query({ limit: 200 })}`),
    api(`/api/v1/fleets/${id}/rides${query({ limit: 200 })}`),
  ]);
  const expiring = [
    ...drivers.items.map(d => ({ what: `Driver ${d.firstName} ${d.lastName}`, ref: d.licenceNumber, until: d.documentsValidUntil })),
    ...vehicles.items.map(v => ({ what: `Vehicle ${v.plateNumber}`, ref: `${v.make} ${v.model}`, until: v.documentsValidUntil })),
  ].sort((a, b) => dayKey(a.until).localeCompare(dayKey(b.until)));

  const byDriver = new Map();
  for (const ride of rides.items) {
    if (!ride.driverId) continue;
    const row = byDriver.get(ride.driverId) || { driverId: ride.driverId, rides: 0, completed: 0, cancelled: 0, fares: 0, currency: ride.currency };
    row.rides += 1;
    if (ride.status === 'completed') { row.completed += 1; row.fares += ride.finalFareMinor || 0; }
    if (ride.status === 'cancelled') row.cancelled += 1;
    byDriver.set(ride.driverId, row);
  }
  const names = new Map(drivers.items.map(d => [d.id, `${d.firstName} ${d.lastName}`]));

  const statements = h('div');
  const showStatements = lease => h('button', { type: 'button', class: 'secondary', onclick: async () => {
    showError(null);
    try {
      const list = await api(`/api/v1/leases/${lease.id}/statements`);
      clear(statements, table(`Statements of the lease of ${lease.plateNumber}`, [
        ['Month from', s => s.periodStart], ['Rides', s => s.rides], ['Fixed', s => money(s.fixedMinor, s.currency)],
        ['Revenue share', s => money(s.revenueShareMinor, s.currency)], ['Due', s => money(s.dueMinor, s.currency)]], list));
    } catch (error) {
      showError(error);
    }
  } }, 'Statements');

  clear(root,
    h('h1', {}, `Fleet: ${fleet.name}`),
    h('p', {}, `Status ${fleet.status}. Today is ${isoDate(new Date())}.`),
    h('div', { class: 'grid' },
      card('Documents by expiry', table('Drivers and vehicles, earliest expiry first', [
        ['What', r => r.what], ['Reference', r => r.ref], ['Valid until', r => expiryCell(r.until)]], expiring)),
      card('Driver performance (latest 200 rides)', table('Per driver', [
        ['Driver', r => names.get(r.driverId) ?? r.driverId], ['Rides', r => r.rides], ['Completed', r => r.completed],
        ['Cancelled', r => r.cancelled], ['Fares', r => money(r.fares, r.currency)]], [...byDriver.values()]))),
    card('Drivers', table('Drivers', [
      ['Name', d => `${d.firstName} ${d.lastName}`], ['Licence', d => d.licenceNumber], ['Status', d => d.status],
      ['Online', d => (d.online ? 'yes' : 'no')], ['Documents valid until', d => expiryCell(d.documentsValidUntil)]], drivers.items)),
    card('Vehicles', table('Vehicles', [
      ['Plate', v => v.plateNumber], ['Vehicle', v => `${v.make} ${v.model} ${v.modelYear}`], ['Type', v => v.vehicleType],
      ['VIP certified', v => (v.vipCertified ? 'yes' : 'no')], ['Status', v => v.status],
      ['Documents valid until', v => expiryCell(v.documentsValidUntil)]], vehicles.items)),
    card('Leases', table('Leases', [
      ['Vehicle', l => l.plateNumber], ['Type', l => l.leaseType], ['Monthly', l => money(l.fixedMonthlyMinor, l.currency)],
      ['Share', l => `${(l.revenueShareBp / 100).toFixed(2)} %`], ['From', l => l.startsOn], ['To', l => l.endsOn ?? '—'],
      ['Status', l => l.status], ['', showStatements]], leases.items), statements));
  return null;
}
