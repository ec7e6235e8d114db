// Operations: the database's health and performance, the monthly partitions and the scheduled jobs, the
// analytics views' refreshes, and charts of revenue by tier and day and of completed rides per hour over
// the last 48 hours, driver performance and hotel occupancy.

import { api, query } from '../api.js';
import { h, clear, card, table, when, money, isoDate } from '../dom.js';
import { lineChart } from '../chart.js';

export function render({ me, showError, root }) {
  const health = h('div', {}, h('p', {}, 'Loading…'));
  const performance = h('div', {}, h('p', {}, 'Loading…'));
  const refreshes = h('div', {}, h('p', {}, 'Loading…'));
  const partitions = h('div', { id: 'partitions' }, h('p', {}, 'Loading…'));
  const jobs = h('div', { id: 'jobs' }, h('p', {}, 'Loading…'));
  const revenueChart = h('div', { class: 'chart', id: 'revenue-chart' });
  const ridesChart = h('div', { class: 'chart', id: 'rides-chart' });
  const drivers = h('div');
  const hotels = h('div');

  clear(root,
    h('h1', {}, 'Operations'),
    h('div', { class: 'grid' },
      card('Database health', health),
      card('Analytics refreshes', refreshes)),
    h('div', { class: 'grid' },
      card('Scheduled jobs', jobs),
      card('Partitions', partitions)),
    card('Performance metrics', performance),
    h('div', { class: 'grid' },
      card('Revenue by tier and day', revenueChart),
      card('Completed rides per hour (last 48 h)', ridesChart)),
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

  api('/api/v1/ops/jobs').then(list => clear(jobs, table('Scheduled jobs, next due first', [
    ['Job', j => j.jobName], ['Next due', j => when(j.nextDueAt)], ['Running', j => (j.running ? `yes (${j.pickedBy ?? '?'})` : 'no')],
    ['Last run', j => when(j.lastStartedAt)],
    ['Outcome', j => (j.lastOutcome ? h('span', { class: j.lastOutcome === 'failed' ? 'overdue' : j.lastOutcome === 'running' ? 'due_soon' : 'ok' }, j.lastOutcome) : '—')],
    ['Runs / failures (24 h)', j => `${j.runs24h} / ${j.failures24h}`], ['Last error', j => (j.lastError ? String(j.lastError).slice(0, 160) : '')]], list,
  'no job scheduled yet.'))).catch(fail(jobs));

  const bytes = n => (n >= 1048576 ? `${(n / 1048576).toFixed(1)} MB` : `${Math.round(n / 1024)} kB`);
  // A monthly partition covers [lowerBound, upperBound): one UTC month, shown as that month.
  const month = p => (p.isDefault ? 'default' : new Date(p.lowerBound).toISOString().slice(0, 7));
  api('/api/v1/ops/partitions').then(list => clear(partitions, table('Monthly partitions, live tables first, newest month first', [
    ['Partition', p => p.partitionName], ['Month', month], ['Rows (estimate)', p => p.rowsEstimate],
    ['Size', p => bytes(p.sizeBytes)], ['Archived', p => (p.archived ? 'archived' : 'live')]], list))).catch(fail(partitions));

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
    lineChart(revenueChart, `Gross fares per day (refreshed ${when(dashboard.refreshedAt)})`, x, revenue);
  }).catch(fail(revenueChart));

  // The last 48 whole UTC hours, the current one last; hours without a completed ride count zero.
  const thisHour = Math.floor(Date.now() / 3600_000) * 3600;
  const hours = Array.from({ length: 48 }, (_, i) => thisHour - (47 - i) * 3600);
  api(`/api/v1/analytics/rides-per-hour${query({ hours: 48 })}`).then(dashboard => {
    const tiers = ['normal', 'premium', 'vip'];
    const perHour = tiers.map(tier => ({ label: `${tier} tier`, values: hours.map(hour =>
      dashboard.rows.filter(r => r.tier === tier && Date.parse(r.hour) / 1000 === hour).reduce((s, r) => s + r.completedRides, 0)) }));
    lineChart(ridesChart, `Completed rides per hour (refreshed ${when(dashboard.refreshedAt)})`, hours, perHour);
  }).catch(fail(ridesChart));

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
