// Control centre: the live queue of incidents and alerts with their timers, streamed; the city plane;
// acknowledge, assign and resolve. Revealing a ride's live position asks for a purpose and is logged.

import { api, query } from '../api.js';
import { h, clear, card, table, when, duration, field } from '../dom.js';
import { openStream } from '../sse.js';
import { cityMap } from '../map.js';

const OUTCOMES = ['resolved', 'false_alarm', 'police_called', 'medical_assistance', 'ride_ended'];

export function render({ me, status, showError, root }) {
  let incidents = [];
  const revealed = new Map();
  // What the user chose in an item survives the queue's re-rendering on every streamed event.
  const chosenOutcome = new Map();
  const typedPurpose = new Map();
  const queueList = h('ul', { class: 'queue', id: 'incident-queue', 'aria-live': 'polite', 'aria-relevant': 'additions removals', 'aria-label': 'Unresolved incidents' });
  const streamState = h('p', { id: 'stream-state' }, 'Live stream: connecting…');
  const figures = h('div', { class: 'figures' });
  const alerts = h('div');
  const vipEmergencies = h('div', {}, h('p', {}, 'Loading…'));
  const events = h('ol', { 'aria-label': 'Latest streamed events', class: 'events' });
  const map = cityMap('The city: incidents whose live position was revealed');
  let referenceLat;

  clear(root,
    h('h1', {}, 'Control centre'),
    h('div', { class: 'grid' },
      card('Queue', streamState, queueList),
      card('City', h('div', { class: 'legend' }, h('span', {}, '● incident (position revealed with a purpose)')), map.element)),
    h('div', { class: 'grid' },
      card('Figures (24 h)', figures),
      card('Geofence alerts', alerts),
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

  async function loadQueue() {
    incidents = await api('/api/v1/control-centre/queue');
    const focused = document.activeElement && document.activeElement.closest && document.activeElement.closest('li[data-incident]');
    const focusedId = focused && focused.dataset.incident;
    clear(queueList, incidents.length ? incidents.map(item) : h('li', { class: 'empty' }, 'No unresolved incidents.'));
    if (focusedId) {
      const again = queueList.querySelector(`li[data-incident="${focusedId}"] button`);
      if (again) again.focus();
    }
    drawMap();
    loadFigures();
  }

  function drawMap() {
    const points = [];
    for (const incident of incidents) {
      const live = revealed.get(incident.id);
      if (live && live.driverLat !== null && live.driverLat !== undefined) {
        points.push({ lat: live.driverLat, lng: live.driverLng, kind: 'incident', label: `${incident.kind} ${incident.rideId.slice(0, 8)}` });
      }
    }
    map.draw(points, referenceLat);
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

  async function loadAlerts() {
    if (me.role === 'emergency_responder') {
      clear(alerts, h('p', { class: 'empty' }, 'Geofence alerts are for VIP operators and admins; they also arrive in the queue stream.'));
      return;
    }
    try {
      const list = await api('/api/v1/vip/alerts');
      clear(alerts, table('Open geofence alerts', [
        ['Kind', a => a.kind], ['Severity', a => a.severity], ['Raised', a => when(a.raisedAt)]], list));
    } catch (error) {
      clear(alerts, h('p', { class: 'empty' }, error.message));
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
      if (event.type === 'alert') loadAlerts();
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

  api('/api/v1/admin/cities').then(cities => {
    if (Array.isArray(cities) && cities.length) referenceLat = cities[0].referenceLat;
  }).catch(() => {});
  loadQueue().catch(showError);
  loadAlerts();
  loadVipEmergencies();

  return { stop() { stream.close(); clearInterval(ticker); } };
}
