import { onOnlineChange } from './api.js';
import { deadView } from './dead-view.js';
import { jobView } from './job-view.js';
import { jobsView } from './jobs-view.js';
import { onLiveState } from './live.js';
import { schedulesView } from './schedules-view.js';

// Hash routes keep the dashboard one static page: #/jobs?status=&type=, #/jobs/{id}, #/dead, #/schedules.
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
    leave = deadView(view);
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

window.addEventListener('hashchange', route);
route();
