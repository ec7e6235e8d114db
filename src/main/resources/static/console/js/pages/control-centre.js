// Control centre: the live queue of incidents (and, for VIP operators and admins, open geofence alerts)
// with their timers, streamed; the city plane with the city's active rides, available drivers and the
// incidents whose position was revealed; acknowledge, assign and resolve. Revealing a ride's live position
// asks for a purpose and is logged. What each role sees on the plane is decided by the database
// (GET /control-centre/map): rounded positions, no identities, VIP rides only for VIP roles.

import { api, query } from '../api.js';
import { h, clear, card, table, when, duration, field } from '../dom.js';
import { openStream } from '../sse.js';
import { cityMap } from '../map.js';

const OUTCOMES = ['resolved', 'false_alarm', 'police_called', 'medical_assistance', 'ride_ended'];

const VIP_ROLES = ['vip_operator', 'vip_admin'];
const MAP_REFRESH_MS = 5000;

export function render({ me, status, showError, root }) {
  let incidents = [];
  let geofenceAlerts = [];
  let cityMapData = null;
  const seesAlerts = VIP_ROLES.includes(me.role);
  const revealed = new Map();
  // What the user chose in an item survives the queue's re-rendering on every streamed event.
  const chosenOutcome = new Map();
  const typedPurpose = new Map();
  const queueList = h('ul', { class: 'queue', id: 'incident-queue', 'aria-live': 'polite', 'aria-relevant': 'additions removals',
    'aria-label': seesAlerts ? 'Unresolved incidents and open geofence alerts' : 'Unresolved incidents' });
  const streamState = h('p', { id: 'stream-state' }, 'Live stream: connecting…');
  const figures = h('div', { class: 'figures' });
  const vipEmergencies = h('div', {}, h('p', {}, 'Loading…'));
  const events = h('ol', { 'aria-label': 'Latest streamed events', class: 'events' });
  const map = cityMap('The city: active rides, available drivers and incidents whose live position was revealed');
  // Reference latitudes of the cities the user may list (support and admins); otherwise the plane centres
  // on the shown points.
  const referenceLats = new Map();
  const cityField = field('City', { required: true, maxlength: 64, value: 'lagos', id: 'map-city' });
  const cityForm = h('form', { class: 'inline' }, cityField.wrap, h('button', { type: 'submit', class: 'secondary' }, 'Show city'));
  cityForm.addEventListener('submit', event => {
    event.preventDefault();
    loadMap().catch(showError);
  });
  const mapSummary = h('p', { id: 'map-summary', 'aria-live': 'polite' }, 'Loading the city…');
  const mapTable = h('div', { id: 'map-table' });

  clear(root,
    h('h1', {}, 'Control centre'),
    h('div', { class: 'grid' },
      card('Queue', streamState, queueList),
      card('City', cityForm,
        h('div', { class: 'legend', 'aria-hidden': 'true' },
          h('span', { class: 'key-incident' }, '● incident (position revealed with a purpose)'),
          h('span', { class: 'key-ride' }, '● active ride'),
          h('span', { class: 'key-driver' }, '■ available driver')),
        map.element, mapSummary, mapTable)),
    h('div', { class: 'grid' },
      card('Figures (24 h)', figures),
      card('VIP emergencies', vipEmergencies),
      card('Latest events', events)));

  async function act(button, work) {
    button.disabled = true;
    showError(null);
    try {
      await work();
      await loadQueue();
    } catch (error) {
      showError(error);
    } finally {
      button.disabled = false;
    }
  }

  function timerText(incident) {
    if (incident.status !== 'open') return `acknowledged ${when(incident.acknowledgedAt)}`;
    const left = (new Date(incident.acknowledgeDueAt).getTime() - Date.now()) / 1000;
    return left >= 0 ? `acknowledge within ${duration(left)}` : `acknowledgement ${duration(left)}`;
  }

  function item(incident) {
    const timer = h('span', { class: 'timer', dataset: { incident: incident.id } }, timerText(incident));
    const outcome = field('Outcome', { options: OUTCOMES.map(o => [o, o.replaceAll('_', ' ')]) });
    if (chosenOutcome.has(incident.id)) outcome.input.value = chosenOutcome.get(incident.id);
    outcome.input.addEventListener('change', () => chosenOutcome.set(incident.id, outcome.input.value));
    const purpose = field('Purpose of revealing the position', { required: true, maxlength: 200 });
    const revealForm = h('form', { class: 'inline', hidden: !typedPurpose.has(incident.id) },
      purpose.wrap,
      h('button', { type: 'submit' }, 'Reveal'));
    if (typedPurpose.has(incident.id)) purpose.input.value = typedPurpose.get(incident.id);
    purpose.input.addEventListener('input', () => typedPurpose.set(incident.id, purpose.input.value));
    revealForm.addEventListener('submit', event => {
      event.preventDefault();
      act(revealForm.querySelector('button'), async () => {
        const live = await api(`/api/v1/control-centre/incidents/${incident.id}/live${query({ purpose: purpose.input.value })}`);
        revealed.set(incident.id, live);
        status(`Live position of the ride revealed (logged with your purpose).`);
        drawMap();
      });
    });
    const actions = h('div', { class: 'actions' });
    if (incident.status === 'open') {
      const ack = h('button', { type: 'button', onclick: () => act(ack, async () => {
        await api(`/api/v1/control-centre/incidents/${incident.id}/acknowledge`, { method: 'POST' });
        status(`Incident acknowledged.`);
      }) }, 'Acknowledge');
      actions.append(ack);
    }
    if (!incident.assignedTo) {
      const assign = h('button', { type: 'button', class: 'secondary', onclick: () => act(assign, async () => {
        await api(`/api/v1/control-centre/incidents/${incident.id}/assign`, { method: 'POST', body: { responderId: me.id } });
        status('Incident assigned to you.');
      }) }, 'Assign to me');
      actions.append(assign);
    }
    const resolve = h('button', { type: 'button', class: 'danger', onclick: () => act(resolve, async () => {
      await api(`/api/v1/control-centre/incidents/${incident.id}/resolve`, { method: 'POST', body: { outcome: chosenOutcome.get(incident.id) || outcome.input.value } });
      status('Incident resolved.');
    }) }, 'Resolve');
    const reveal = h('button', { type: 'button', class: 'secondary', 'aria-expanded': String(!revealForm.hidden), onclick: () => {
      revealForm.hidden = !revealForm.hidden;
      if (revealForm.hidden) typedPurpose.delete(incident.id);
      else if (!typedPurpose.has(incident.id)) typedPurpose.set(incident.id, '');
      reveal.setAttribute('aria-expanded', String(!revealForm.hidden));
      if (!revealForm.hidden) purpose.input.focus();
    } }, 'Show on map…');
    actions.append(outcome.wrap, resolve, reveal);
    return h('li', { class: incident.status, dataset: { incident: incident.id } },
      h('strong', {}, `${incident.kind.replaceAll('_', ' ').toUpperCase()} · severity ${incident.severity}`),
      ' ', h('span', { class: 'badge' }, incident.status),
      h('div', {}, `Ride ${incident.rideId} · raised by the ${incident.raisedAs} at ${when(incident.openedAt)}`),
      h('div', {}, timer, incident.escalations ? ` · escalated ${incident.escalations}×` : ''),
      actions, revealForm);
  }

  // A VIP operator's or admin's queue is one list: the page merges the incidents and the open geofence
  // alerts (two calls, each answered under the caller's own rights), open incidents first, then the
  // alerts newest first, then the acknowledged incidents.
  function alertItem(alert) {
    const actions = h('div', { class: 'actions' });
    const ack = h('button', { type: 'button', onclick: () => act(ack, async () => {
      await api(`/api/v1/vip/alerts/${alert.id}/acknowledge`, { method: 'POST' });
      status('Geofence alert acknowledged.');
    }) }, 'Acknowledge alert');
    actions.append(ack);
    return h('li', { class: 'geofence-alert', dataset: { alert: alert.id } },
      h('strong', {}, `GEOFENCE ${String(alert.kind).replace(/^geofence_/, '').replaceAll('_', ' ').toUpperCase()} · ${alert.severity}`),
      ' ', h('span', { class: 'badge' }, 'alert'),
      h('div', {}, `Raised at ${when(alert.raisedAt)} · seen ${alert.occurrences}× · last at ${when(alert.lastSeenAt)}`),
      actions);
  }

  async function loadQueue() {
    const [queued, alerts] = await Promise.all([
      api('/api/v1/control-centre/queue'),
      seesAlerts ? api('/api/v1/vip/alerts').catch(error => { showError(error); return []; }) : Promise.resolve([]),
    ]);
    incidents = queued;
    geofenceAlerts = alerts;
    const focused = document.activeElement && document.activeElement.closest && document.activeElement.closest('li[data-incident], li[data-alert]');
    const focusedSelector = focused && (focused.dataset.incident ? `li[data-incident="${focused.dataset.incident}"]` : `li[data-alert="${focused.dataset.alert}"]`);
    const items = [
      ...incidents.filter(i => i.status === 'open').map(item),
      ...geofenceAlerts.map(alertItem),
      ...incidents.filter(i => i.status !== 'open').map(item),
    ];
    clear(queueList, items.length ? items : h('li', { class: 'empty' }, seesAlerts ? 'No unresolved incidents or open alerts.' : 'No unresolved incidents.'));
    if (focusedSelector) {
      const again = queueList.querySelector(`${focusedSelector} button`);
      if (again) again.focus();
    }
    drawMap();
    loadFigures();
  }

  async function loadMap() {
    const city = cityField.input.value.trim() || 'lagos';
    cityMapData = await api(`/api/v1/control-centre/map${query({ city })}`);
    drawMap();
  }

  function position(lat, lng) {
    return lat === null || lat === undefined ? 'no position' : `${lat.toFixed(3)}, ${lng.toFixed(3)}`;
  }

  function describeMap() {
    if (!cityMapData) return;
    const { rides, drivers, incidents: open } = cityMapData;
    const vip = rides.filter(r => r.vip).length;
    mapSummary.textContent = `${cityMapData.city}: ${rides.length} active ride${rides.length === 1 ? '' : 's'}`
      + `${vip ? ` (${vip} VIP)` : ''}, ${drivers.length} available driver${drivers.length === 1 ? '' : 's'}, `
      + `${open.length} open incident${open.length === 1 ? '' : 's'}; positions rounded to about 100 m, at ${when(cityMapData.at)}.`;
    const rows = [
      ...rides.map(r => ({ what: r.vip ? 'VIP ride' : 'ride', status: r.status.replaceAll('_', ' '), vehicle: r.vehicleType, tier: r.tier, where: position(r.lat, r.lng) })),
      ...drivers.map(d => ({ what: 'available driver', status: 'available', vehicle: d.vehicleType ?? '—', tier: '—', where: position(d.lat, d.lng) })),
    ];
    clear(mapTable, table('Active rides and available drivers on the plane', [
      ['What', r => r.what], ['Status', r => r.status], ['Vehicle', r => r.vehicle], ['Tier', r => r.tier], ['Position', r => r.where]], rows,
    'no active ride and no available driver.'));
  }

  function drawMap() {
    const points = [];
    if (cityMapData) {
      for (const ride of cityMapData.rides) {
        // A VIP ride comes without a position (listed in the table only).
        if (ride.lat === null || ride.lat === undefined) continue;
        points.push({ lat: ride.lat, lng: ride.lng, kind: 'ride', label: `${ride.status.replaceAll('_', ' ')} ${ride.rideId.slice(0, 8)}` });
      }
      for (const driver of cityMapData.drivers) {
        points.push({ lat: driver.lat, lng: driver.lng, kind: 'driver', label: `available ${driver.vehicleType ?? 'driver'}` });
      }
    }
    for (const incident of incidents) {
      const live = revealed.get(incident.id);
      if (live && live.driverLat !== null && live.driverLat !== undefined) {
        points.push({ lat: live.driverLat, lng: live.driverLng, kind: 'incident', label: `${incident.kind} ${incident.rideId.slice(0, 8)}` });
      }
    }
    map.draw(points, cityMapData ? referenceLats.get(cityMapData.city) : undefined);
    describeMap();
  }

  async function loadFigures() {
    try {
      const f = await api('/api/v1/control-centre/figures');
      clear(figures, Object.entries(f).filter(([, v]) => typeof v !== 'object').map(([k, v]) =>
        h('div', { class: 'figure' }, h('strong', {}, v === null ? '—' : String(Number.isInteger(v) ? v : Math.round(v * 10) / 10)), k.replace(/([A-Z])/g, ' $1').toLowerCase())));
    } catch (error) {
      clear(figures, h('p', { class: 'empty' }, error.message));
    }
  }

  // A VIP's emergency profile is decrypted only on request, with a purpose, and the read is logged in
  // the VIP access log with the incident. It is shown on the page and kept nowhere else.
  function vipRow(emergency) {
    const purpose = field('Purpose', { required: true, maxlength: 200 });
    const shown = h('div');
    const form = h('form', { class: 'inline' }, purpose.wrap, h('button', { type: 'submit' }, 'Reveal emergency profile'));
    form.addEventListener('submit', async event => {
      event.preventDefault();
      showError(null);
      try {
        const p = await api(`/api/v1/vip/emergencies/${emergency.id}/profile${query({ purpose: purpose.input.value })}`);
        clear(shown, h('dl', { class: 'facts' },
          h('dt', {}, 'Threat level'), h('dd', {}, p.threatLevel ?? '—'),
          h('dt', {}, 'Security escort'), h('dd', {}, p.requiresSecurityEscort ? 'required' : 'no'),
          h('dt', {}, 'Medical notes'), h('dd', {}, p.medicalNotes ?? '—'),
          h('dt', {}, 'Emergency contacts'), h('dd', {}, (p.emergencyContacts || []).map(c => `${c.name ?? ''} ${c.phone ?? ''}`).join('; ') || '—')));
        status('VIP emergency profile revealed; the read is in the VIP access log.');
      } catch (error) {
        showError(error);
      }
    });
    return h('div', { class: 'card' },
      h('p', {}, `${emergency.kind} · severity ${emergency.severity} · opened ${when(emergency.openedAt)} · access until ${when(emergency.accessExpiresAt)}`),
      form, shown);
  }

  async function loadVipEmergencies() {
    try {
      const list = await api('/api/v1/vip/emergencies');
      clear(vipEmergencies, list.length ? list.map(vipRow) : h('p', { class: 'empty' }, 'No open VIP emergencies.'));
    } catch (error) {
      clear(vipEmergencies, h('p', { class: 'empty' }, error.message));
    }
  }

  const stream = openStream('/api/v1/control-centre/stream', event => {
    if (event.type === 'ready') return;
    const text = event.type === 'incident'
      ? `Incident ${event.data.step}: ${event.data.kind}, ride ${String(event.data.rideId).slice(0, 8)}`
      : `${event.type} ${event.data && event.data.kind ? event.data.kind : ''}`;
    events.prepend(h('li', {}, `${when(new Date())} — ${text}`));
    while (events.children.length > 20) events.lastChild.remove();
    if (event.type === 'incident' || event.type === 'alert') {
      loadQueue().catch(showError);
      loadVipEmergencies();
      if (event.type === 'incident') loadMap().catch(showError);
    }
  }, { onState: state => {
    streamState.textContent = state === 'open' ? 'Live stream: connected.' : state === 'reconnecting' ? 'Live stream: reconnecting…' : 'Live stream: signed out.';
    streamState.dataset.state = state;
    if (state === 'open') loadQueue().catch(showError);
  } });

  const ticker = setInterval(() => {
    for (const timer of queueList.querySelectorAll('.timer')) {
      const incident = incidents.find(i => i.id === timer.dataset.incident);
      if (incident) timer.textContent = timerText(incident);
    }
  }, 1000);

  // The plane follows the city every few seconds (rides move; the stream carries incidents, not positions).
  const mapTicker = setInterval(() => { loadMap().catch(() => {}); }, MAP_REFRESH_MS);

  api('/api/v1/admin/cities').then(cities => {
    if (Array.isArray(cities)) for (const c of cities) referenceLats.set(c.city, c.referenceLat);
  }).catch(() => {});
  loadQueue().catch(showError);
  loadMap().catch(showError);
  loadVipEmergencies();

  return { stop() { stream.close(); clearInterval(ticker); clearInterval(mapTicker); } };
}
