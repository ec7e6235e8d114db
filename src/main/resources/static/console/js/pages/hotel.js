// Hotel: the staff member's own hotel — tonight's arrivals and the coming bookings, an availability
// calendar for the next two weeks, rooms and rate plans, guests' rides, monthly statements.

import { api, query } from '../api.js';
import { h, clear, card, table, when, money, isoDate } from '../dom.js';

const DAYS = 14;

function addDays(date, days) {
  const copy = new Date(date.getTime());
  copy.setUTCDate(copy.getUTCDate() + days);
  return copy;
}

export async function render({ me, showError, root }) {
  if (!me.hotelId) {
    clear(root, h('h1', {}, 'Hotel'), h('p', {}, 'This account works for no hotel.'));
    return null;
  }
  const id = me.hotelId;
  const today = new Date(`${isoDate(new Date())}T00:00:00Z`);
  clear(root, h('h1', {}, 'Hotel'), h('p', {}, 'Loading…'));
  const [hotel, roomTypes, rooms, ratePlans, bookings, statements] = await Promise.all([
    api(`/api/v1/hotels/${id}`),
    api(`/api/v1/hotels/${id}/room-types`),
    api(`/api/v1/hotels/${id}/rooms`),
    api(`/api/v1/hotels/${id}/rate-plans`),
    api(`/api/v1/hotels/${id}/bookings${query({ from: isoDate(today), to: isoDate(addDays(today, DAYS)) })}`),
    api(`/api/v1/hotels/${id}/statements`),
  ]);
  const typeName = new Map(roomTypes.map(t => [t.id, t.name]));
  const tonight = bookings.filter(b => b.checkIn === isoDate(today) && !['cancelled', 'no_show'].includes(b.status));

  const calendar = h('div', { 'aria-busy': 'true' }, h('p', {}, 'Loading availability…'));
  const rides = h('div');

  const step = (booking, path, label) => h('button', { type: 'button', class: 'secondary', onclick: async event => {
    event.target.disabled = true;
    showError(null);
    try {
      await api(`/api/v1/hotel-bookings/${booking.id}/${path}`, { method: 'POST' });
      render({ me, showError, root });
    } catch (error) {
      showError(error);
      event.target.disabled = false;
    }
  } }, label);
  const bookingActions = b => {
    const actions = [];
    if (b.status === 'pending') actions.push(step(b, 'confirm', 'Confirm'));
    if (b.status === 'confirmed') actions.push(step(b, 'check-in', 'Check in'));
    if (b.status === 'checked_in') actions.push(step(b, 'check-out', 'Check out'));
    actions.push(h('button', { type: 'button', class: 'secondary', onclick: () => showRides(b) }, 'Rides'));
    return h('div', { class: 'actions' }, actions);
  };
  const columns = [
    ['Reference', b => b.bookingReference], ['Guest', b => b.guestName ?? '—'], ['Guests', b => b.guests],
    ['Room type', b => typeName.get(b.roomTypeId) ?? '—'], ['Check-in', b => b.checkIn], ['Check-out', b => b.checkOut],
    ['Status', b => b.status], ['Total', b => money(b.totalMinor, b.currency)], ['', bookingActions]];

  async function showRides(booking) {
    showError(null);
    try {
      const list = await api(`/api/v1/hotel-bookings/${booking.id}/rides`);
      clear(rides, table(`Rides of ${booking.bookingReference}`, [
        ['Purpose', r => r.purpose], ['Billed to', r => r.billedTo], ['Status', r => r.status],
        ['Scheduled', r => when(r.scheduledFor)], ['Driver assigned', r => (r.driverAssigned ? 'yes' : 'no')],
        ['Fare', r => money(r.finalFareMinor ?? r.estimatedFareMinor, r.currency)]], list));
    } catch (error) {
      showError(error);
    }
  }

  clear(root,
    h('h1', {}, `Hotel: ${hotel.name}`),
    h('p', {}, `${hotel.city} · ${hotel.starRating}★ · tier ${hotel.tier} · ${hotel.status}`),
    card(`Tonight's arrivals (${isoDate(today)})`, h('div', { id: 'tonight' }, table('Arriving tonight', columns, tonight, 'no arrivals tonight.'))),
    card(`Bookings in the next ${DAYS} days`, table('Bookings', columns, bookings), rides),
    card('Availability calendar', calendar),
    h('div', { class: 'grid' },
      card('Rooms', table('Rooms', [['Number', r => r.roomNumber], ['Type', r => typeName.get(r.roomTypeId) ?? '—'],
        ['Bookable', r => (r.available ? 'yes' : 'no')]], rooms)),
      card('Rate plans', table('Rate plans', [['Name', p => p.name], ['Room type', p => typeName.get(p.roomTypeId) ?? '—'],
        ['Nightly', p => money(p.baseNightlyMinor, p.currency)], ['Free cancellation', p => `${p.freeCancellationHours} h`]], ratePlans))),
    card('Statements', table('Monthly statements', [['Month', s => s.month], ['Bookings', s => s.bookings],
      ['Booking value', s => money(s.bookingValueMinor, s.currency)], ['Commission', s => money(s.bookingCommissionMinor, s.currency)],
      ['Payable', s => money(s.amountPayableMinor, s.currency)]], statements)));

  // One availability request per night: rooms free per room type.
  const nights = Array.from({ length: DAYS }, (_, i) => addDays(today, i));
  const answers = await Promise.all(nights.map(night => api(`/api/v1/hotel-availability${query({
    hotelId: id, checkIn: isoDate(night), checkOut: isoDate(addDays(night, 1)), guests: 1 })}`).catch(() => null)));
  const rows = roomTypes.map(type => ({ type, free: answers.map(list => {
    if (!list) return '?';
    const found = list.filter(a => a.roomTypeId === type.id);
    return found.length ? Math.max(...found.map(a => a.roomsFree)) : 0;
  }) }));
  calendar.removeAttribute('aria-busy');
  clear(calendar, table('Rooms free per night', [['Room type', r => r.type.name],
    ...nights.map((night, i) => [isoDate(night).slice(5), r => String(r.free[i])])], rows));
  return null;
}
