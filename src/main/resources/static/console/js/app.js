// The console's shell: sign-in, the signed-in user's role (GET /api/v1/me), the pages that role
// needs, and a hash router. Every page calls the REST API with the user's token; the database's
// row-level security decides what each role sees.

import { api, signIn, signOut, tokens, forget } from './api.js';
import { h, clear } from './dom.js';
import * as controlCentre from './pages/control-centre.js';
import * as support from './pages/support.js';
import * as fleet from './pages/fleet.js';
import * as hotel from './pages/hotel.js';
import * as compliance from './pages/compliance.js';
import * as operations from './pages/operations.js';

const PAGES = [
  { path: 'control-centre', title: 'Control centre', module: controlCentre,
    roles: ['emergency_responder', 'vip_admin', 'vip_operator'] },
  { path: 'support', title: 'Support', module: support, roles: ['support_agent', 'system_admin'] },
  { path: 'fleet', title: 'Fleet', module: fleet, roles: ['fleet_admin'] },
  { path: 'hotel', title: 'Hotel', module: hotel, roles: ['hotel_staff'] },
  { path: 'compliance', title: 'Compliance', module: compliance, roles: ['compliance_officer', 'audit_admin'] },
  { path: 'operations', title: 'Operations', module: operations, roles: ['system_admin', 'audit_admin'] },
];

const $ = id => document.getElementById(id);
let me = null;
let current = null;

export function status(text) {
  $('status').textContent = text;
}

export function showError(error) {
  const box = $('alert');
  if (!error) {
    box.hidden = true;
    box.textContent = '';
    return;
  }
  box.textContent = error.message || String(error);
  box.hidden = false;
}

function pagesFor(role) {
  return PAGES.filter(page => page.roles.includes(role));
}

function leave() {
  if (current && current.stop) current.stop();
  current = null;
}

async function route() {
  leave();
  showError(null);
  const target = $('page');
  if (!me) return;
  const allowed = pagesFor(me.role);
  const wanted = location.hash.replace(/^#\/?/, '');
  const page = allowed.find(p => p.path === wanted) || allowed[0];
  for (const link of $('nav').querySelectorAll('a')) {
    if (link.dataset.page === (page && page.path)) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  if (!page) {
    clear(target, h('section', { class: 'card' }, h('h1', {}, 'No console pages'),
      h('p', {}, `The role ${me.role} has no pages in the console.`)));
    return;
  }
  document.title = `${page.title} — VIP Ride console`;
  clear(target);
  const context = { me, status, showError, root: target };
  current = page.module.render(context) || null;
  if (current && typeof current.then === 'function') current = await current.catch(error => { showError(error); return null; });
}

async function start() {
  $('sign-in').hidden = true;
  try {
    me = await api('/api/v1/me');
  } catch (error) {
    me = null;
    forget();
    showSignIn();
    showError(error);
    return;
  }
  $('who-name').textContent = `${me.firstName} ${me.lastName} (${me.role.replaceAll('_', ' ')})`;
  $('who').hidden = false;
  const nav = clear($('nav'), pagesFor(me.role).map(page =>
    h('a', { href: `#/${page.path}`, dataset: { page: page.path } }, page.title)));
  nav.hidden = false;
  await route();
}

function showSignIn() {
  leave();
  me = null;
  $('nav').hidden = true;
  $('who').hidden = true;
  clear($('page'));
  $('sign-in').hidden = false;
  document.title = 'Sign in — VIP Ride console';
}

$('sign-in-form').addEventListener('submit', async event => {
  event.preventDefault();
  const button = event.target.querySelector('button');
  button.disabled = true;
  showError(null);
  try {
    await signIn($('email').value, $('password').value);
    $('password').value = '';
    await start();
    $('main').focus();
  } catch (error) {
    showError(error);
  } finally {
    button.disabled = false;
  }
});

$('sign-out').addEventListener('click', async () => {
  await signOut();
  showSignIn();
  status('Signed out.');
});

window.addEventListener('hashchange', () => { route(); });
window.addEventListener('console:signed-out', () => { if (!tokens()) showSignIn(); });

if (tokens()) start();
else showSignIn();
