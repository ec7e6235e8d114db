// Operations: the database's health and performance, the analytics views' refreshes, and charts of
// revenue by tier and day, rides per day, driver performance and hotel occupancy.

import { api, query } from '../api.js';
import { h, clear, card, table, when, money, isoDate } from '../dom.js';
import { lineChart } from '../chart.js';

export function render({ me, showError, root }) {
  const health = h('div', {}, h('p', {}, 'Loading…'));
  const performance = h('div', {}, h('p', {}, 'Loading…'));
  const refreshes = h('div', {}, h('p', {}, 'Loading…'));
  const revenueChart = h('div', { class: 'chart', id: 'revenue-chart' });
  const ridesChart = h('div', { class: 'chart', id: 'rides-chart' });
  const drivers = h('div');
  const hotels = h('div');

  clear(root,
    h('h1', {}, 'Operations'),
    h('div', { class: 'grid' },
      card('Database health', health),
      card('Analytics refreshes and jobs', refreshes)),
    card('Performance metrics', performance),
    h('div', { class: 'grid' },
      card('Revenue by tier and day', revenueChart),
      card('Completed rides per day', ridesChart)),
    h('div', { class: 'grid' },
      card('Driver performance', drivers),
      card('Hotel occupancy', hotels)));

  const fail = target => error => clear(target, h('p', { class: 'empty' }, error.message));

  api('/api/v1/monitoring/database-health').then(list => clear(health, table('Checks, worst first', [
    ['Check', c => c.checkName], ['Object', c => c.object ?? '—'], ['Value', c => (c.value === null ? '—' : `${c.value} ${c.unit ?? ''}`)],
    ['Severity', c => h('span', { class: c.severity === 'critical' ? 'overdue' : c.severity === 'warning' ? 'due_soon' : 'ok' }, c.severity)],
    ['Detail', c => c.detail ?? '']], list))).catch(fail(health));

  api(`/api/v1/monitoring/performance-metrics${query({ limit: 25 })}`).then(list => clear(performance, table('Slowest and most frequent statements, index usage', [
    ['Metric', m => m.metric], ['Object', m => h('code', {}, String(m.object ?? '').slice(0, 160))], ['Calls', m => m.calls],
    ['Mean ms', m => m.meanMs], ['Value', m => (m.value === null ? '—' : `${m.value} ${m.unit ?? ''}`)], ['Severity', m => m.severity]], list))).catch(fail(performance));

  api('/api/v1/analytics/refreshes').then(list => clear(refreshes, table('Latest refreshes of the analytics views', [
    ['View', r => r.viewName], ['Started', r => when(r.startedAt)], ['Duration ms', r => r.durationMs], ['Rows', r => r.rowCount]], list.slice(0, 15),
  'no refresh yet.'))).catch(fail(refreshes));

  const to = new Date();
  const from = new Date(to.getTime() - 30 * 86400_000);
  const days = [];
  for (let d = new Date(`${isoDate(from)}T00:00:00Z`); d <= to; d = new Date(d.getTime() + 86400_000)) days.push(isoDate(d));
  const x = days.map(d => Date.parse(`${d}T00:00:00Z`) / 1000);

  api(`/api/v1/analytics/revenue${query({ from: isoDate(from), to: isoDate(to) })}`).then(dashboard => {
    const tiers = ['normal', 'premium', 'vip'];
    const currency = dashboard.rows.length ? dashboard.rows[0].currency : '';
    const revenue = tiers.map(tier => ({ label: `${tier} (${currency || 'minor units'})`, values: days.map(day =>
      dashboard.rows.filter(r => r.tier === tier && r.day === day).reduce((s, r) => s + r.grossFareMinor / 100, 0)) }));
    const rides = [{ label: 'completed rides', values: days.map(day =>
      dashboard.rows.filter(r => r.day === day).reduce((s, r) => s + r.completedRides, 0)) }];
    lineChart(revenueChart, `Gross fares per day (refreshed ${when(dashboard.refreshedAt)})`, x, revenue);
    lineChart(ridesChart, 'Completed rides per day', x, rides);
  }).catch(error => { fail(revenueChart)(error); fail(ridesChart)(error); });

  api(`/api/v1/analytics/driver-performance${query({ limit: 20 })}`).then(dashboard => clear(drivers, table('Drivers this period', [
    ['Month', r => r.month], ['Driver', r => r.driverId], ['Completed', r => r.ridesCompleted], ['Cancelled', r => r.cancelledByDriver + r.cancelledByOthers],
    ['Mean arrival', r => (r.avgArrivalS === null ? '—' : `${Math.round(r.avgArrivalS / 60)} min`)], ['Fares', r => money(r.faresMinor, r.currency)]], dashboard.rows)))
    .catch(fail(drivers));

  api(`/api/v1/analytics/hotel-occupancy${query({ limit: 20 })}`).then(dashboard => clear(hotels, table('Hotels per month', [
    ['Month', r => r.month], ['City', r => r.city], ['Nights sold', r => r.roomNightsSold], ['Offered', r => r.roomNightsOffered],
    ['Occupancy', r => (r.roomNightsOffered ? `${Math.round((100 * r.roomNightsSold) / r.roomNightsOffered)} %` : '—')],
    ['Room revenue', r => money(r.roomRevenueMinor, r.currency)]], dashboard.rows))).catch(fail(hotels));
  return null;
}
