// Support: search people, drivers and vehicles; a person's account, rides and payments (with their
// refunds and disputes); suspend, reactivate, unlock; cancel a stuck ride with a reason; look up a
// payment. What an agent finds is what row-level security lets it see.

import { api, query } from '../api.js';
import { h, clear, card, table, when, money, field } from '../dom.js';

const KINDS = [['users', 'People'], ['drivers', 'Drivers'], ['vehicles', 'Vehicles']];

export function render({ status, showError, root }) {
  const kind = field('Search', { options: KINDS, name: 'kind' });
  const q = field('Name, e-mail, phone, licence or plate', { name: 'q', type: 'search', required: true, minlength: 2, maxlength: 100 });
  const form = h('form', { class: 'inline', role: 'search', 'aria-label': 'Search people, drivers and vehicles' },
    kind.wrap, q.wrap, h('button', { type: 'submit' }, 'Search'));
  const results = h('div', { 'aria-live': 'polite' });
  const person = h('div');
  const paymentId = field('Payment id', { name: 'payment', required: true, pattern: '[0-9a-fA-F-]{36}' });
  const paymentForm = h('form', { class: 'inline' }, paymentId.wrap, h('button', { type: 'submit' }, 'Look up'));
  const payment = h('div');

  clear(root,
    h('h1', {}, 'Support'),
    card('Find', form, results),
    h('div', { id: 'person' }, person),
    card('Payment, refunds and disputes', paymentForm, payment));

  form.addEventListener('submit', async event => {
    event.preventDefault();
    showError(null);
    try {
      const page = await api(`/api/v1/search/${kind.input.value}${query({ q: q.input.value, limit: 20 })}`);
      const items = page.items || [];
      status(`${items.length} found.`);
      if (kind.input.value === 'users') {
        clear(results, table('People', [
          ['Name', u => h('button', { type: 'button', class: 'secondary', onclick: () => openPerson(u.id) }, `${u.firstName} ${u.lastName}`)],
          ['E-mail', u => u.email], ['Phone', u => u.phone], ['Type', u => u.userType],
          ['Active', u => (u.active ? 'yes' : 'no')]], items));
      } else if (kind.input.value === 'drivers') {
        clear(results, table('Drivers', [
          ['Name', d => `${d.firstName ?? ''} ${d.lastName ?? ''}`],
          ['Licence', d => d.licenseNumber], ['Status', d => d.status],
          ['Account', d => d.userId ? h('button', { type: 'button', class: 'secondary', onclick: () => openPerson(d.userId) }, 'Open') : '—']], items));
      } else {
        clear(results, table('Vehicles', [
          ['Plate', v => v.plateNumber], ['Make', v => `${v.make ?? ''} ${v.model ?? ''}`],
          ['Type', v => v.vehicleType], ['Status', v => v.status]], items));
      }
    } catch (error) {
      showError(error);
    }
  });

  async function openPerson(id) {
    showError(null);
    try {
      const user = await api(`/api/v1/users/${id}`);
      const to = new Date(Date.now() + 60_000);
      const from = new Date(Date.now() - 90 * 86400_000);
      let rides = [];
      let ridesNote = null;
      try {
        rides = (await api(`/api/v1/rides${query({ from: from.toISOString(), to: to.toISOString(), customerId: id, limit: 50 })}`)).items || [];
      } catch (error) {
        ridesNote = error.message;
      }
      let payments = [];
      let paymentsNote = null;
      try {
        payments = (await api(`/api/v1/users/${id}/payments${query({ limit: 50 })}`)).items || [];
      } catch (error) {
        paymentsNote = error.message;
      }
      const account = (path, label, cls) => {
        const button = h('button', { type: 'button', class: cls, onclick: async () => {
          button.disabled = true;
          showError(null);
          try {
            await api(`/api/v1/admin/users/${id}/${path}`, { method: 'POST' });
            status(`${label}: done.`);
          } catch (error) {
            showError(error);
          } finally {
            button.disabled = false;
          }
        } }, label);
        return button;
      };
      // Cancelling asks for the reason first: the database refuses a support cancellation without one,
      // and the rider and driver are told the ride was cancelled.
      const cancel = ride => {
        if (['completed', 'cancelled', 'expired'].includes(ride.status)) return '—';
        const cell = h('div');
        const ask = h('button', { type: 'button', class: 'danger', onclick: () => {
          const reason = field('Reason for cancelling', { name: 'reason', required: true, minlength: 1, maxlength: 500 });
          const confirm = h('button', { type: 'submit', class: 'danger' }, 'Confirm cancellation');
          const form = h('form', { class: 'inline', 'aria-label': `Cancel the ride requested ${when(ride.requestedAt)}` },
            reason.wrap, confirm);
          form.addEventListener('submit', async event => {
            event.preventDefault();
            confirm.disabled = true;
            showError(null);
            try {
              const after = await api(`/api/v1/rides/${ride.id}/cancel`, { method: 'POST', body: { reason: reason.input.value.trim() } });
              status(`Ride ${after.status}.`);
              openPerson(id);
            } catch (error) {
              showError(error);
              confirm.disabled = false;
            }
          });
          clear(cell, form);
          reason.input.focus();
        } }, 'Cancel ride');
        clear(cell, ask);
        return cell;
      };
      const listed = (items, text) => (items.length === 0 ? '—' : h('ul', { class: 'plain' }, items.map(item => h('li', {}, text(item)))));
      clear(person, h('div', { class: 'grid' }, card(`${user.firstName ?? ''} ${user.lastName ?? ''}`.trim() || 'Account',
        h('dl', { class: 'facts' },
          h('dt', {}, 'E-mail'), h('dd', {}, user.email ?? '—'),
          h('dt', {}, 'Phone'), h('dd', {}, user.phone ?? '—'),
          h('dt', {}, 'Type'), h('dd', {}, user.userType ?? '—'),
          h('dt', {}, 'Active'), h('dd', {}, user.active === false ? 'no' : 'yes')),
        h('div', { class: 'actions' }, account('suspend', 'Suspend', 'danger'), ' ', account('reactivate', 'Reactivate', 'secondary'), ' ', account('unlock', 'Unlock sign-in', 'secondary')),
        ridesNote ? h('p', { class: 'empty' }, `Rides: ${ridesNote}`)
          : table('Rides in the last 90 days', [
            ['Requested', r => when(r.requestedAt)], ['Status', r => r.status], ['City', r => r.city],
            ['Fare', r => money(r.finalFareMinor ?? r.estimatedFareMinor, r.currency)], ['', cancel]], rides)),
        card('Their payments, refunds and disputes',
          paymentsNote ? h('p', { class: 'empty' }, `Payments: ${paymentsNote}`)
            : table('Payments, newest first', [
              ['Created', a => when(a.payment.createdAt)], ['Type', a => a.payment.paymentType],
              ['Amount', a => money(a.payment.amountMinor, a.payment.currency)], ['Status', a => a.payment.status],
              ['Refunds', a => listed(a.refunds, r => `${money(r.amountMinor, r.currency)} (${when(r.createdAt)}): ${r.reason}`)],
              ['Disputes', a => listed(a.disputes, d => `${d.status} ${money(d.amountMinor, a.payment.currency)}: ${d.reason}`)]],
            payments))));
      person.querySelector('h2').setAttribute('tabindex', '-1');
      person.querySelector('h2').focus();
    } catch (error) {
      showError(error);
    }
  }

  paymentForm.addEventListener('submit', async event => {
    event.preventDefault();
    showError(null);
    try {
      const p = await api(`/api/v1/payments/${encodeURIComponent(paymentId.input.value.trim())}`);
      clear(payment, h('dl', { class: 'facts' },
        h('dt', {}, 'Type'), h('dd', {}, p.paymentType), h('dt', {}, 'Amount'), h('dd', {}, money(p.amountMinor, p.currency)),
        h('dt', {}, 'Refunded'), h('dd', {}, money(p.refundedMinor, p.currency)), h('dt', {}, 'Status'), h('dd', {}, p.status),
        h('dt', {}, 'Created'), h('dd', {}, when(p.createdAt))));
    } catch (error) {
      clear(payment);
      showError(error);
    }
  });

  return null;
}
