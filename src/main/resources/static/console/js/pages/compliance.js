// Compliance: data-subject requests by due date, the breach register with its 72-hour clock, consent
// figures, the audit trail with chain verification, and the VIP access log.

import { api, query } from '../api.js';
import { h, clear, card, table, when, duration, field } from '../dom.js';

function dueCell(dueAt) {
  const left = (new Date(dueAt).getTime() - Date.now()) / 1000;
  const cls = left < 0 ? 'overdue' : left < 7 * 86400 ? 'due_soon' : 'running';
  return h('span', { class: cls }, `${when(dueAt)} (${left < 0 ? duration(left) : `${duration(left)} left`})`);
}

function clockCell(breach) {
  const label = breach.clock === 'notified' ? `regulator notified ${when(breach.regulatorNotifiedAt)}`
    : breach.clock === 'overdue' ? `72 h passed: ${duration((new Date(breach.regulatorDeadline).getTime() - Date.now()) / 1000)}`
      : `${duration(breach.secondsLeft)} left of 72 h`;
  return h('span', { class: `breach-clock ${breach.clock}` }, label);
}

export function render({ me, status, showError, root }) {
  const requests = h('div', {}, h('p', {}, 'Loading…'));
  const breaches = h('div', {}, h('p', {}, 'Loading…'));
  const consent = h('div', {}, h('p', {}, 'Loading…'));
  const chain = h('div');
  const changes = h('div');
  const access = h('div');

  const table_ = field('Table', { name: 'table', required: true, pattern: '[a-z_]{1,63}', placeholder: 'users' });
  const record = field('Record id', { name: 'recordId', required: true, maxlength: 100 });
  const changesForm = h('form', { class: 'inline', 'aria-label': 'Change history of a record' }, table_.wrap, record.wrap, h('button', { type: 'submit' }, 'Show history'));
  const vip = field('VIP user id', { name: 'vipUserId', required: true });
  const accessForm = h('form', { class: 'inline', 'aria-label': 'VIP access log' }, vip.wrap, h('button', { type: 'submit' }, 'Show access log'));
  const verify = h('button', { type: 'button' }, 'Verify the chain now');

  clear(root,
    h('h1', {}, 'Compliance'),
    h('div', { class: 'grid' },
      card('Data-subject requests by due date', requests),
      card('Breach register (72-hour clock)', breaches)),
    card('Consent and requests per month', consent),
    h('div', { class: 'grid' },
      card('Audit trail', h('p', {}, verify), chain, changesForm, changes),
      card('VIP access log', accessForm, access)));

  api('/api/v1/compliance/privacy-requests').then(list => {
    clear(requests, table('Open requests, earliest due first', [
      ['Due', r => dueCell(r.dueAt)], ['Type', r => r.type], ['Status', r => r.status], ['Channel', r => r.channel],
      ['Received', r => when(r.receivedAt)], ['Identity verified', r => (r.identityVerifiedAt ? 'yes' : 'no')],
      ['Subject', r => r.userId]], list, 'no open requests.'));
  }).catch(error => clear(requests, h('p', { class: 'empty' }, error.message)));

  api('/api/v1/compliance/breaches').then(list => {
    clear(breaches, table('Breaches, open first', [
      ['Detected', b => when(b.detectedAt)], ['Nature', b => b.nature], ['Status', b => b.status],
      ['Regulator deadline', b => when(b.regulatorDeadline)], ['Clock', clockCell], ['Subjects (approx.)', b => b.approxSubjects]],
    list, 'no breaches recorded.'));
  }).catch(error => clear(breaches, h('p', { class: 'empty' }, error.message)));

  api('/api/v1/analytics/compliance').then(dashboard => {
    const consentRows = dashboard.rows.filter(r => r.metric.includes('consent'));
    clear(consent, h('p', {}, `Refreshed ${when(dashboard.refreshedAt)}; ${dashboard.from} to ${dashboard.to}.`),
      table('Consent of active accounts', [['Month', r => r.month], ['Metric', r => r.metric], ['Purpose', r => r.dimension], ['Value', r => r.value]], consentRows, 'no consent figures yet (the analytics views refresh every 15 minutes).'),
      table('Requests and breaches', [['Month', r => r.month], ['Metric', r => r.metric], ['Dimension', r => r.dimension], ['Value', r => r.value]],
        dashboard.rows.filter(r => !r.metric.includes('consent'))));
  }).catch(error => clear(consent, h('p', { class: 'empty' }, error.message)));

  verify.addEventListener('click', async () => {
    verify.disabled = true;
    showError(null);
    clear(chain, h('p', {}, 'Verifying…'));
    try {
      const result = await api('/api/v1/audit/chain-verification');
      clear(chain, h('p', { class: result.intact ? 'ok' : 'overdue', id: 'chain-result' },
        result.intact ? `Chain intact (checked ${when(result.checkedAt)}).` : `${result.problems.length} problem(s) found.`),
      result.intact ? null : table('Problems', [['Problem', p => p.problem], ['Audit id', p => p.auditId], ['Detail', p => p.detail]], result.problems));
      status('Chain verified.');
    } catch (error) {
      clear(chain);
      showError(error);
    } finally {
      verify.disabled = false;
    }
  });

  changesForm.addEventListener('submit', async event => {
    event.preventDefault();
    showError(null);
    try {
      const list = await api(`/api/v1/audit/changes${query({ table: table_.input.value, recordId: record.input.value })}`);
      clear(changes, table('Changes, newest first', [['When', c => when(c.timestamp)], ['Operation', c => c.operation],
        ['Fields', c => (c.changedFields || []).join(', ')], ['By', c => c.userId ?? c.dbRole], ['Role', c => c.dbRole]], list));
    } catch (error) {
      showError(error);
    }
  });

  accessForm.addEventListener('submit', async event => {
    event.preventDefault();
    showError(null);
    try {
      const list = await api(`/api/v1/audit/vip-access${query({ vipUserId: vip.input.value.trim() })}`);
      clear(access, table('Reads of the VIP\'s data, newest first', [['When', a => when(a.accessedAt)], ['Who', a => a.accessorUserId],
        ['Role', a => a.accessorRole], ['What', a => a.dataAccessed], ['Purpose', a => a.purpose]], list));
    } catch (error) {
      showError(error);
    }
  });
  return null;
}
