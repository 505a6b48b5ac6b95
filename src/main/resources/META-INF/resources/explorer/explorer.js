// DAG explorer: draws a window of the last rounds of this validator's DAG (GET /api/v1/dag), its
// status (GET /api/v1/status) and the live commit stream (SSE, /api/v1/commits/stream). No build
// step and no library: the page is served as is by the service. It redraws at most every
// REDRAW_MS whatever the commit rate, and only the window, never the history.
'use strict';

const API = '/api/v1';
const REDRAW_MS = 400;        // at most one DAG fetch per this interval, however fast commits arrive
const POLL_DAG_MS = 2000;     // rounds advance between commits too
const POLL_STATUS_MS = 3000;
const KEPT_COMMITS = 300;     // commits remembered to map certificates to their sub-DAG on hover
const SHOWN_COMMITS = 25;

const state = {
  status: null, dag: null, stream: null,
  commitOf: new Map(),        // certificate digest -> commit index (from the stream)
  commits: [],                // newest first
  selected: null, hotCommit: null,
  fetching: false, again: false, lastFetch: 0,
};

const el = (id) => document.getElementById(id);
const esc = (s) => String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
const short = (d) => String(d).slice(0, 8);
const time = (iso) => (iso ? new Date(iso).toLocaleTimeString([], { hour12: false }) : '-');
const nameOf = (i) => (state.status ? state.status.committee.members[i].name : 'v' + i);

async function getJson(path) {
  const r = await fetch(API + path, { headers: { Accept: 'application/json' } });
  if (!r.ok) {
    let detail = '';
    try { detail = (await r.json()).detail || ''; } catch (e) { /* not problem+json */ }
    throw new Error(`${path}: HTTP ${r.status} ${detail}`);
  }
  return r.json();
}

// ---- status --------------------------------------------------------------------------------
async function refreshStatus() {
  try {
    state.status = await getJson('/status');
    renderStatus();
    if (!state.stream && state.status.consensus) openStream();
    if (!state.dag) scheduleDag();
  } catch (e) {
    el('node-status').textContent = 'status unavailable: ' + e.message;
  }
}

function renderStatus() {
  const s = state.status;
  el('node-name').textContent = `${s.validator.name} (index ${s.validator.index} of ${s.committee.size}, epoch ${s.committee.epoch})`;
  const parts = [`<span class="badge ${esc(s.node.lifecycle)}" data-testid="lifecycle">${esc(s.node.lifecycle)}</span>`];
  if (!s.node.storageHealthy) parts.push('<span>storage NOT writable</span>');
  if (s.consensus) {
    const c = s.consensus;
    parts.push(`<span>round ${c.currentRound}</span>`, `<span>commit ${c.publishedCommitIndex}</span>`,
      `<span>last checkpoint ${c.lastCheckpointRound == null ? 'none' : `round ${c.lastCheckpointRound} at ${time(c.lastCheckpointAt)}`}</span>`);
  }
  if (s.recovery) {
    const r = s.recovery;
    parts.push(`<span>recovery ${esc(r.strategyUsed)} in ${r.durationMs} ms, ${r.certificatesLoaded} certificates` +
      (r.checkpointRound != null ? `, checkpoint round ${r.checkpointRound}` : '') +
      (r.fallbackReason ? `, fell back: ${esc(r.fallbackReason)}` : '') + '</span>');
  } else {
    parts.push('<span>recovery running</span>');
  }
  if (s.node.cannotCatchUp) parts.push(`<span>cannot catch up: ${esc(s.node.cannotCatchUp)}</span>`);
  el('node-status').innerHTML = parts.join('');
  el('peers').innerHTML = s.committee.members.map((m) => {
    const self = m.index === s.validator.index;
    const cls = self || m.connected == null ? '' : m.connected ? 'up' : 'down';
    const what = self ? 'this node' : m.connected == null ? 'not connected yet' : m.connected ? 'connected' : 'disconnected';
    return `<li><span class="dot ${cls}"></span>${m.index} ${esc(m.name)} <span class="muted">${what}${m.address ? ', ' + esc(m.address) : ''}</span></li>`;
  }).join('');
}

// ---- commit stream -------------------------------------------------------------------------
function openStream() {
  const c = state.status.consensus;
  const from = Math.max(1, c.firstHeldCommitIndex, c.publishedCommitIndex - SHOWN_COMMITS + 1);
  // EventSource reconnects by itself and resumes after the last event id it saw.
  state.stream = new EventSource(`${API}/commits/stream?payloads=false&from=${from}`);
  state.stream.onopen = () => { el('stream-state').textContent = '(live)'; };
  state.stream.onerror = () => { el('stream-state').textContent = '(reconnecting...)'; };
  state.stream.onmessage = (ev) => onCommit(JSON.parse(ev.data));
}

function onCommit(c) {
  if (state.commits.length && c.index <= state.commits[0].index) return; // a replay after a reconnect
  state.commits.unshift(c);
  for (const d of c.certificates) state.commitOf.set(d, c.index);
  while (state.commits.length > KEPT_COMMITS) {
    const old = state.commits.pop();
    for (const d of old.certificates) if (state.commitOf.get(d) === old.index) state.commitOf.delete(d);
  }
  renderCommits();
  scheduleDag();
}

function renderCommits() {
  el('commits').innerHTML = state.commits.slice(0, SHOWN_COMMITS).map((c) =>
    `<li data-index="${c.index}" class="${c.index === state.hotCommit ? 'hot' : ''}">#${c.index} anchor r${c.anchor.round}/${esc(nameOf(c.anchor.author))}` +
    ` &middot; ${c.certificates.length} cert${c.certificates.length === 1 ? '' : 's'} &middot; ${c.transactions.length} tx <span class="muted">${time(c.committedAt)}</span></li>`).join('');
}

// ---- DAG window ----------------------------------------------------------------------------
function scheduleDag() {
  if (el('paused').checked) return;
  if (state.fetching) { state.again = true; return; }
  const wait = Math.max(0, state.lastFetch + REDRAW_MS - Date.now());
  state.fetching = true;
  setTimeout(fetchDag, wait);
}

async function fetchDag() {
  state.lastFetch = Date.now();
  try {
    state.dag = await getJson('/dag?rounds=' + el('rounds').value);
    if (state.status) renderDag();
  } catch (e) {
    el('window-info').textContent = e.message;
  } finally {
    state.fetching = false;
    if (state.again) { state.again = false; scheduleDag(); }
  }
}

const DY = 38, X0 = 92, Y0 = 30;
let DX = 54; // column width: shrinks (to 22) so that the window fits the page, scrolls beyond
const xOf = (w, r) => X0 + (r - w.fromRound) * DX + DX / 2;
const yOf = (a) => Y0 + a * DY + DY / 2;

function renderDag() {
  const w = state.dag, n = state.status.committee.size;
  const rounds = Math.max(1, w.toRound - w.fromRound + 1);
  DX = Math.max(22, Math.min(54, Math.floor((el('dag-scroll').clientWidth - X0 - 12) / rounds)));
  const width = X0 + rounds * DX + 10, height = Y0 + n * DY + 6;
  const out = [];
  for (let a = 0; a < n; a++) out.push(`<text x="4" y="${yOf(a) + 4}">${a} ${esc(nameOf(a).slice(0, 11))}</text>`);
  const labelEvery = DX < 34 ? 5 : 1;
  for (let r = w.fromRound; r <= w.toRound; r++) {
    if ((r - w.fromRound) % labelEvery === 0) out.push(`<text x="${xOf(w, r) - 8}" y="12">${r}</text>`);
  }
  for (const v of w.certificates) {
    if (v.round - 1 < w.fromRound) continue;
    for (const p of v.parents) {
      out.push(`<line class="edge" x1="${xOf(w, v.round)}" y1="${yOf(v.author)}" x2="${xOf(w, v.round - 1)}" y2="${yOf(p)}"/>`);
    }
  }
  for (const s of w.anchors) {
    if (s.status === 'SKIPPED') {
      out.push(`<text class="skipped" x="${xOf(w, s.round) - 4}" y="${Y0 - 4}"><title>round ${s.round}: anchor skipped</title>&times;</text>`);
    } else {
      const cls = s.status === 'PENDING' ? 'pending' : s.direct ? 'direct' : 'indirect';
      out.push(`<circle class="ring ${cls}" cx="${xOf(w, s.round)}" cy="${yOf(s.leader)}" r="12"/>`);
    }
  }
  for (const v of w.certificates) {
    const ci = state.commitOf.get(v.digest);
    const cls = ['cert'];
    if (v.settled) cls.push('settled');
    if (ci != null && ci === state.hotCommit) cls.push('hot');
    if (v.digest === state.selected) cls.push('selected');
    out.push(`<circle class="${cls.join(' ')}" data-digest="${v.digest}" data-commit="${ci == null ? '' : ci}" cx="${xOf(w, v.round)}" cy="${yOf(v.author)}" r="7">` +
      `<title>round ${v.round}, ${esc(nameOf(v.author))}, ${v.batches} batches, ${ci != null ? 'committed in #' + ci : v.settled ? 'settled (ordered before the stream window, or left out for good)' : 'not committed yet'}</title></circle>`);
  }
  const svg = el('dag');
  const scroller = el('dag-scroll');
  const atRight = scroller.scrollLeft + scroller.clientWidth >= scroller.scrollWidth - 4;
  svg.setAttribute('width', width);
  svg.setAttribute('height', height);
  svg.innerHTML = out.join('');
  if (atRight) scroller.scrollLeft = scroller.scrollWidth;
  el('window-info').textContent = `rounds ${w.fromRound}-${w.toRound} · ${w.certificates.length} certificates · last anchor round ${w.lastAnchorRound} · commit ${w.lastCommitIndex}`;
  renderReputation();
}

function renderReputation() {
  el('reputation').querySelector('tbody').innerHTML = state.dag.reputation.map((s) =>
    `<tr><td>${s.validator} ${esc(nameOf(s.validator))}</td><td>${s.factor}</td><td>${s.weight}</td><td>${s.votes}</td><td>${s.skips}</td></tr>`).join('');
}

// ---- hover and click -----------------------------------------------------------------------
function setHot(index) {
  if (state.hotCommit === index) return;
  state.hotCommit = index;
  for (const c of el('dag').querySelectorAll('circle.cert')) {
    c.classList.toggle('hot', index != null && c.dataset.commit === String(index));
  }
  for (const li of el('commits').children) li.classList.toggle('hot', index != null && li.dataset.index === String(index));
}

el('dag').addEventListener('mouseover', (ev) => {
  const t = ev.target.closest('circle.cert');
  setHot(t && t.dataset.commit ? Number(t.dataset.commit) : null);
});
el('dag').addEventListener('mouseleave', () => setHot(null));
el('commits').addEventListener('mouseover', (ev) => {
  const li = ev.target.closest('li');
  setHot(li ? Number(li.dataset.index) : null);
});
el('commits').addEventListener('mouseleave', () => setHot(null));

el('dag').addEventListener('click', async (ev) => {
  const t = ev.target.closest('circle.cert');
  if (!t) return;
  state.selected = t.dataset.digest;
  for (const c of el('dag').querySelectorAll('circle.cert.selected')) c.classList.remove('selected');
  t.classList.add('selected');
  const box = el('details');
  box.hidden = false;
  box.textContent = 'loading...';
  try {
    const c = await getJson('/certificates/' + state.selected);
    box.innerHTML = `<h3>Certificate round ${c.round}, ${esc(nameOf(c.author))}</h3>` +
      `<div>digest <span data-testid="details-digest">${esc(c.digest)}</span></div>` +
      `<div>header ${esc(c.headerDigest)} · epoch ${c.epoch} · timestamp ${new Date(c.timestampMs).toISOString()}</div>` +
      `<div>${c.committed ? 'committed in sub-DAG #' + c.commitIndex : 'not committed yet'}</div>` +
      `<div>signers ${c.signers.map((s) => esc(nameOf(s))).join(', ')}</div>` +
      `<div>parents ${c.parents.map(short).join(' ') || '(genesis)'}</div>` +
      `<div>${c.batchDigests.length} batches ${c.batchDigests.map(short).join(' ')}</div>`;
  } catch (e) {
    box.textContent = 'cannot read this certificate: ' + e.message;
  }
});

el('rounds').addEventListener('change', scheduleDag);
el('paused').addEventListener('change', scheduleDag);

refreshStatus();
setInterval(refreshStatus, POLL_STATUS_MS);
setInterval(scheduleDag, POLL_DAG_MS);
