import { api, onOnlineChange } from './api.js';
import { apiKey, forgetApiKey, onKeyRequired, setApiKey } from './key.js';
import { auditView } from './audit-view.js';
import { deadView } from './dead-view.js';
import { jobView } from './job-view.js';
import { jobsView } from './jobs-view.js';
import { onLiveState } from './live.js';
import { schedulesView } from './schedules-view.js';

// Hash routes keep the dashboard one static page: #/jobs?status=&type=, #/jobs/{id}, #/dead?type=&errorText=&from=&to=,
// #/audit?action=&actor=, #/schedules.
const view = document.getElementById('view');
const connection = document.getElementById('connection');
let leave = () => {};

function route() {
  leave();
  const [path, search = ''] = location.hash.replace(/^#/, '').split('?');
  const params = new URLSearchParams(search);
  const parts = path.split('/').filter(Boolean);
  const section = parts[0] ?? 'jobs';
  for (const link of document.querySelectorAll('[data-nav]'))
    link.classList.toggle('active', link.dataset.nav === section);
  if (section === 'jobs' && parts[1]) {
    document.title = `Job ${parts[1].slice(0, 8)} · longhaul`;
    leave = jobView(view, decodeURIComponent(parts[1]));
  } else if (section === 'dead') {
    document.title = 'Dead jobs · longhaul';
    leave = deadView(view, params);
  } else if (section === 'audit') {
    document.title = 'Audit trail · longhaul';
    leave = auditView(view, params);
  } else if (section === 'schedules') {
    document.title = 'Schedules · longhaul';
    leave = schedulesView(view);
  } else {
    document.title = 'Jobs · longhaul';
    leave = jobsView(view, params);
  }
}

let live = 'idle';
let online = true;
function showConnection() {
  const state = !online ? 'offline' : live;
  connection.dataset.state = state;
  connection.textContent =
    state === 'live' ? 'live' : state === 'offline' ? 'server unreachable' : 'idle';
}
onLiveState((state) => {
  live = state;
  showConnection();
});
onOnlineChange((value) => {
  online = value;
  showConnection();
});

// With API keys on, the dashboard asks for one before showing anything (and again if it is refused).
const keyForm = document.getElementById('key-form');
const keyError = keyForm.querySelector('.key-error');
const signOut = document.getElementById('sign-out');
let started = false;

function askForKey(message) {
  leave();
  leave = () => {};
  view.hidden = true;
  signOut.hidden = true;
  keyForm.hidden = false;
  keyError.hidden = !message;
  keyError.textContent = message ?? '';
  keyForm.elements.key.focus();
}

function show() {
  keyForm.hidden = true;
  view.hidden = false;
  signOut.hidden = !apiKey();
  if (!started) window.addEventListener('hashchange', route);
  started = true;
  route();
}

async function check() {
  const tried = apiKey();
  try {
    await api.whoCanRead();
    show();
  } catch (error) {
    if (error.status === 401) askForKey(tried ? 'That key was not accepted.' : undefined);
    else show(); // the views show other errors themselves
  }
}

keyForm.addEventListener('submit', (event) => {
  event.preventDefault();
  setApiKey(keyForm.elements.key.value.trim());
  keyForm.reset();
  void check();
});
signOut.addEventListener('click', () => {
  forgetApiKey();
  askForKey();
});
onKeyRequired(() => {
  if (started) askForKey('The key was refused; enter it again.');
});
void check();
