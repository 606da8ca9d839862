// Staff console. Plain browser JavaScript, no build step. Every string comes from the embedded locale JSON
// (locales/<lng>/console.json), and every piece of conversation data is put in the page with textContent,
// never as HTML, so a seller's "<img src=x onerror=...>" stays text.
'use strict';
(function () {
  const i18n = JSON.parse(document.getElementById('console-i18n').textContent);
  const locale = i18n.locale;
  function t(key, vars) {
    let value = key.split('.').reduce((node, part) => (node && typeof node === 'object' ? node[part] : undefined), i18n.strings);
    if (typeof value !== 'string') return key;
    for (const [name, v] of Object.entries(vars || {})) value = value.split('{{' + name + '}}').join(String(v));
    return value;
  }
  for (const el of document.querySelectorAll('[data-i18n]')) el.textContent = t(el.getAttribute('data-i18n'));
  for (const el of document.querySelectorAll('[data-i18n-placeholder]')) el.placeholder = t(el.getAttribute('data-i18n-placeholder'));

  /** Creates an element with attributes and children (strings become text nodes). */
  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value === undefined || value === null || value === false) continue;
      if (name === 'onclick') el.addEventListener('click', value);
      else if (name === 'className') el.className = value;
      else el.setAttribute(name, value === true ? '' : String(value));
    }
    for (const child of children.flat()) {
      if (child === undefined || child === null || child === false) continue;
      el.append(typeof child === 'string' || typeof child === 'number' ? document.createTextNode(String(child)) : child);
    }
    return el;
  }
  const timeFormat = new Intl.DateTimeFormat(locale, { month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });
  const fmtTime = (iso) => (iso ? timeFormat.format(new Date(iso)) : '');
  const pct = (ratio) => (ratio === null || ratio === undefined ? t('dashboard.none') : Math.round(ratio * 1000) / 10 + '%');

  // ---- API ----
  const state = {
    me: null,
    csrf: '',
    conversations: new Map(),
    searchIds: null,
    selectedId: null,
    detail: null,
    pendingRecognitions: new Map(),
  };

  async function api(method, path, body) {
    const headers = { Accept: 'application/json' };
    if (method !== 'GET') {
      headers['Content-Type'] = 'application/json';
      headers['X-CSRF-Token'] = state.csrf;
    }
    const res = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (res.status === 401) {
      location.assign('/console/login' + location.search);
      throw new Error('UNAUTHENTICATED');
    }
    const data = await res.json().catch(() => ({}));
    if (!res.ok) {
      const error = new Error(data.message || res.statusText);
      error.code = data.code;
      throw error;
    }
    return data;
  }

  const notice = document.getElementById('notice');
  function showError(error) {
    const key = 'errors.' + (error.code || '');
    const text = error.code && t(key) !== key ? t(key) : t('errors.generic', { message: error.message });
    notice.textContent = text;
    notice.classList.add('shown');
    setTimeout(() => notice.classList.remove('shown'), 6000);
  }

  // ---- tabs ----
  const loaders = { callbacks: loadCallbacks, ratings: loadRatings, dashboard: loadDashboard };
  let activeTab = 'conversations';
  for (const button of document.querySelectorAll('[data-tab]')) {
    button.addEventListener('click', () => {
      activeTab = button.getAttribute('data-tab');
      for (const other of document.querySelectorAll('[data-tab]')) other.classList.toggle('active', other === button);
      for (const panel of document.querySelectorAll('.tab-panel')) panel.hidden = panel.id !== 'tab-' + activeTab;
      if (loaders[activeTab]) loaders[activeTab]().catch(showError);
    });
  }

  // ---- conversation list ----
  const SECTIONS = ['queued', 'agent', 'bot', 'closed'];
  const listEl = document.getElementById('conversation-list');
  const filterEl = document.getElementById('status-filter');
  filterEl.addEventListener('change', renderList);

  function waitLabel(c) {
    if (!c.waitingSince) return '';
    const seconds = Math.max(0, Math.floor((Date.now() - Date.parse(c.waitingSince)) / 1000));
    return seconds < 60 ? t('list.waitingSeconds', { seconds }) : t('list.waiting', { minutes: Math.floor(seconds / 60) });
  }

  function renderList() {
    const filter = filterEl.value;
    const all = [...state.conversations.values()].filter(
      (c) => (!filter || c.handoffState === filter) && (!state.searchIds || state.searchIds.has(c.conversationId)),
    );
    const children = [];
    for (const section of SECTIONS) {
      const items = all.filter((c) => c.handoffState === section);
      if (items.length === 0) continue;
      items.sort((a, b) =>
        section === 'queued'
          ? String(a.waitingSince).localeCompare(String(b.waitingSince))
          : b.lastActivityAt.localeCompare(a.lastActivityAt),
      );
      children.push(
        h('section', { className: 'list-section', 'data-section': section, 'data-testid': 'section-' + section },
          h('h2', {}, t('list.sections.' + section), ' (' + items.length + ')'),
          items.map(renderItem)),
      );
    }
    if (children.length === 0) children.push(h('p', { className: 'empty' }, t('list.empty')));
    listEl.replaceChildren(...children);
    // Waiting sellers show in the tab title, so staff on another tab notice them.
    const waiting = [...state.conversations.values()].filter((c) => c.handoffState === 'queued').length;
    document.title = (waiting > 0 ? '(' + waiting + ') ' : '') + t('title');
  }

  function renderItem(c) {
    const meta = [];
    if (c.handoffState === 'queued') {
      if (c.queuePosition) meta.push(t('list.position', { position: c.queuePosition }));
      meta.push(waitLabel(c));
    }
    if (c.handoffState === 'agent' && c.assignedAgent) meta.push(t('list.heldBy', { agent: c.assignedAgent }));
    meta.push(fmtTime(c.lastActivityAt));
    return h('button', {
        type: 'button',
        className: 'conversation-item' + (c.conversationId === state.selectedId ? ' selected' : ''),
        'data-conversation-id': c.conversationId,
        'data-state': c.handoffState,
        'data-testid': 'conversation-item',
        onclick: () => selectConversation(c.conversationId),
      },
      h('span', { className: 'badge state-' + c.handoffState }, t('states.' + c.handoffState)),
      h('span', { className: 'preview' }, c.lastSellerText || t('list.noText')),
      h('span', { className: 'meta' }, meta.filter(Boolean).join(' · ')));
  }

  async function loadConversations() {
    const data = await api('GET', '/api/console/conversations');
    state.conversations = new Map(data.conversations.map((c) => [c.conversationId, c]));
    renderList();
  }

  const searchInput = document.getElementById('search');
  document.getElementById('search-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const q = searchInput.value.trim();
    if (!q) return clearSearch();
    try {
      const data = await api('GET', '/api/console/conversations?q=' + encodeURIComponent(q));
      for (const c of data.conversations) state.conversations.set(c.conversationId, c);
      state.searchIds = new Set(data.conversations.map((c) => c.conversationId));
      renderList();
    } catch (error) {
      showError(error);
    }
  });
  function clearSearch() {
    searchInput.value = '';
    state.searchIds = null;
    renderList();
  }
  document.getElementById('search-clear').addEventListener('click', clearSearch);

  // Wait times tick on the client; nothing is polled from the server.
  setInterval(() => {
    for (const el of listEl.querySelectorAll('[data-state="queued"]')) {
      const c = state.conversations.get(el.getAttribute('data-conversation-id'));
      if (c) el.replaceWith(renderItem(c));
    }
  }, 10000);

  // ---- conversation view ----
  const viewEl = document.getElementById('conversation-view');

  async function selectConversation(id) {
    state.selectedId = id;
    state.pendingRecognitions.clear();
    renderList();
    try {
      state.detail = await api('GET', '/api/console/conversations/' + encodeURIComponent(id));
      if (state.selectedId !== id) return;
      state.conversations.set(id, state.detail.conversation);
      renderView();
    } catch (error) {
      showError(error);
    }
  }

  function senderLabel(a) {
    const id = (a.from && a.from.id) || '';
    if (id.startsWith('agent:')) return t('view.from.agent', { name: (a.from && a.from.name) || id.slice(6) });
    if (a.from && a.from.role === 'bot') return t('view.from.bot');
    return t('view.from.seller');
  }
  function senderKind(a) {
    const id = (a.from && a.from.id) || '';
    if (id.startsWith('agent:')) return 'agent';
    return a.from && a.from.role === 'bot' ? 'bot' : 'seller';
  }
  function eventLabel(a) {
    const value = a.value || {};
    if (a.name === 'handoff.initiate') return t('view.events.initiate');
    if (a.name === 'handoff.cancel') return t('view.events.cancel');
    if (a.name === 'handoff.status') {
      if (value.state === 'accepted') return t('view.events.accepted', { agentName: value.agentName || '' });
      if (value.state === 'completed') return t('view.events.completed');
      if (value.state === 'failed') return t('view.events.failed_' + (value.reason === 'out_of_hours' ? 'out_of_hours' : 'no_agent'));
    }
    return t('view.events.other', { name: a.name || a.type });
  }

  function renderLine(a) {
    if (a.type === 'event') {
      return h('li', { className: 'line event', 'data-activity-id': a.id, 'data-testid': 'transcript-event' },
        h('span', { className: 'time' }, fmtTime(a.timestamp)), ' ', h('span', { className: 'text' }, eventLabel(a)));
    }
    const kind = senderKind(a);
    const intent =
      kind === 'seller' && a.intent !== undefined
        ? h('span', { className: 'intent' + (a.intent === 'none' ? ' none' : ''), 'data-testid': 'intent' },
            t('view.intent', { intent: a.intent, score: Number(a.score).toFixed(2) }))
        : null;
    return h('li', { className: 'line ' + kind, 'data-activity-id': a.id, 'data-kind': kind, 'data-testid': 'transcript-line' },
      h('div', { className: 'who' }, h('span', { className: 'sender' }, senderLabel(a)), ' ', h('span', { className: 'time' }, fmtTime(a.timestamp)), ' ', intent),
      h('div', { className: 'text', 'data-testid': 'line-text' }, kind === 'bot' ? boldOnly(a.text || '') : a.text || ''));
  }

  /** The bot's markdown, reduced to what reads better in a transcript: **bold** and [label](url) as its label. Text nodes only. */
  function boldOnly(markdown) {
    const plain = markdown.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1');
    return plain.split(/\*\*(.+?)\*\*/g).map((part, index) => (index % 2 === 1 ? h('strong', {}, part) : part));
  }

  function renderCaseCard(c) {
    const s = c.caseSummary;
    if (!s) return h('section', { className: 'case-card', 'data-testid': 'case-card' }, h('h3', {}, t('view.caseCard')), h('p', { className: 'muted' }, t('view.noCase')));
    const answers = Object.entries(s.answers || {});
    return h('section', { className: 'case-card', 'data-testid': 'case-card' },
      h('h3', {}, t('view.caseCard')),
      h('dl', {},
        h('dt', {}, t('view.reason')), h('dd', { 'data-testid': 'case-reason' }, t('view.reasons.' + s.reason)),
        s.scenario ? [h('dt', {}, t('view.scenario')), h('dd', { 'data-testid': 'case-scenario' }, s.scenario)] : null,
        s.step ? [h('dt', {}, t('view.step')), h('dd', { 'data-testid': 'case-step' }, s.step)] : null,
        h('dt', {}, t('view.locale')), h('dd', {}, s.locale)),
      answers.length ? [h('h4', {}, t('view.answers')), h('dl', { className: 'answers' }, answers.map(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]))] : null,
      s.intents && s.intents.length
        ? [h('h4', {}, t('view.intents')), h('ul', { className: 'plain' }, s.intents.map((i) =>
            h('li', {}, h('span', {}, i.text), ' ', h('span', { className: 'intent' }, t('view.intent', { intent: i.intent, score: Number(i.score).toFixed(2) })))))]
        : null);
  }

  function renderActions(c) {
    const me = state.me.username;
    const holder = c.handoffState === 'agent' && c.assignedAgent === me;
    const busy = (button, run) => async () => {
      button.disabled = true;
      try {
        await run();
      } catch (error) {
        showError(error);
        if (error.code === 'HANDOFF_CONFLICT' || error.code === 'HANDOFF_ALREADY_TAKEN') await selectConversation(c.conversationId);
      } finally {
        button.disabled = false;
      }
    };
    const path = '/api/console/conversations/' + encodeURIComponent(c.conversationId);
    const buttons = [];
    if (c.handoffState === 'queued' || c.handoffState === 'bot') {
      const b = h('button', { type: 'button', className: 'primary', 'data-testid': 'takeover' }, t('view.takeOver'));
      b.addEventListener('click', busy(b, () => api('POST', path + '/takeover').then(onConversationResponse)));
      buttons.push(b);
    }
    if (holder) {
      const b = h('button', { type: 'button', 'data-testid': 'release' }, t('view.handBack'));
      b.addEventListener('click', busy(b, () => api('POST', path + '/release').then(onConversationResponse)));
      buttons.push(b);
    }
    if (holder || c.handoffState === 'bot') {
      const b = h('button', { type: 'button', 'data-testid': 'close' }, t('view.close'));
      b.addEventListener('click', busy(b, () => api('POST', path + '/close').then(onConversationResponse)));
      buttons.push(b);
    }
    let reply;
    if (holder) {
      const input = h('textarea', { rows: 3, maxlength: 4000, placeholder: t('view.replyPlaceholder'), 'data-testid': 'reply-input' });
      const send = h('button', { type: 'submit', className: 'primary', 'data-testid': 'reply-send' }, t('view.send'));
      reply = h('form', { className: 'reply' }, input, send);
      reply.addEventListener('submit', async (event) => {
        event.preventDefault();
        const text = input.value.trim();
        if (!text) return;
        send.disabled = true;
        try {
          const data = await api('POST', path + '/messages', { text });
          input.value = '';
          appendLine(c.conversationId, data.activity);
        } catch (error) {
          showError(error);
        } finally {
          send.disabled = false;
          input.focus();
        }
      });
      input.addEventListener('keydown', (event) => {
        if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
          event.preventDefault();
          reply.requestSubmit();
        }
      });
    } else if (c.handoffState === 'agent') {
      reply = h('p', { className: 'muted', 'data-testid': 'reply-locked' }, t('view.heldByOther', { agent: c.assignedAgent || '' }));
    } else if (c.handoffState !== 'closed') {
      reply = h('p', { className: 'muted' }, t('view.takeOverToReply'));
    }
    return h('div', { className: 'actions-wrap' }, h('div', { className: 'actions' }, buttons), reply);
  }

  function onConversationResponse(data) {
    upsertConversation(data.conversation);
  }

  function renderView() {
    const d = state.detail;
    if (!d) return;
    const c = state.conversations.get(d.conversation.conversationId) || d.conversation;
    const transcript = h('ol', { className: 'transcript', id: 'transcript', 'data-testid': 'transcript' }, d.transcript.map(renderLine));
    viewEl.replaceChildren(
      h('header', { className: 'view-header' },
        h('span', { className: 'badge state-' + c.handoffState, 'data-testid': 'view-state' }, t('states.' + c.handoffState)),
        ' ', h('code', {}, c.conversationId), ' ',
        h('span', { className: 'muted' }, t('view.channel') + ': ' + c.channelId + ' · ' + t('view.locale') + ': ' + c.locale),
        c.assignedAgent && c.handoffState === 'agent' ? h('span', { className: 'muted' }, ' · ' + t('list.heldBy', { agent: c.assignedAgent })) : null),
      h('div', { className: 'view-body' },
        h('div', { className: 'transcript-wrap' }, h('h3', {}, t('view.transcript')), transcript),
        renderCaseCard(c)),
      renderActions(c));
    transcript.scrollTop = transcript.scrollHeight;
  }

  function upsertConversation(c) {
    state.conversations.set(c.conversationId, c);
    renderList();
    if (state.detail && c.conversationId === state.selectedId) {
      const before = state.detail.conversation;
      state.detail.conversation = c;
      state.detail.caseCard = c.caseSummary;
      const changed = before.handoffState !== c.handoffState || before.assignedAgent !== c.assignedAgent
        || JSON.stringify(before.caseSummary) !== JSON.stringify(c.caseSummary);
      if (changed) renderView();
    }
  }

  function appendLine(conversationId, activity) {
    if (!state.detail || conversationId !== state.selectedId) return;
    if (activity.id && state.detail.transcript.some((a) => a.id === activity.id && a.type === activity.type)) return;
    const pending = state.pendingRecognitions.get(activity.id);
    const entry = pending ? Object.assign({}, activity, pending) : activity;
    state.detail.transcript.push(entry);
    const list = document.getElementById('transcript');
    if (list) {
      list.append(renderLine(entry));
      list.scrollTop = list.scrollHeight;
    }
  }

  function annotate(recognition) {
    if (!state.detail || recognition.conversationId !== state.selectedId) return;
    const entry = state.detail.transcript.find((a) => a.id === recognition.activityId && a.type === 'message');
    if (!entry) {
      state.pendingRecognitions.set(recognition.activityId, { intent: recognition.intent, score: recognition.score });
      return;
    }
    entry.intent = recognition.intent;
    entry.score = recognition.score;
    const list = document.getElementById('transcript');
    const old = list && [...list.children].find((li) => li.getAttribute('data-activity-id') === entry.id && li.classList.contains('seller'));
    if (old) old.replaceWith(renderLine(entry));
  }

  // ---- callbacks, ratings, dashboard ----
  /** A conversation id that opens the conversation in the Conversations tab. */
  function conversationLink(id) {
    const link = h('button', { type: 'button', className: 'link' }, h('code', {}, id));
    link.addEventListener('click', () => {
      document.querySelector('[data-tab="conversations"]').click();
      selectConversation(id);
    });
    return link;
  }

  async function loadCallbacks() {
    const data = await api('GET', '/api/console/callbacks');
    const body = document.getElementById('callbacks-body');
    body.replaceChildren(...data.callbacks.map((cb) => {
      const toggle = h('button', { type: 'button' }, cb.status === 'open' ? t('callbacks.markDone') : t('callbacks.reopen'));
      toggle.addEventListener('click', async () => {
        try {
          await api('POST', '/api/console/callbacks/' + encodeURIComponent(cb.id), { status: cb.status === 'open' ? 'done' : 'open' });
          await loadCallbacks();
        } catch (error) {
          showError(error);
        }
      });
      return h('tr', { 'data-testid': 'callback-row' },
        h('td', {}, cb.name), h('td', {}, cb.phone), h('td', {}, conversationLink(cb.conversationId)),
        h('td', {}, fmtTime(cb.createdAt)), h('td', {}, t('callbacks.' + cb.status) + (cb.handledBy ? ' (' + cb.handledBy + ')' : '')),
        h('td', {}, toggle));
    }));
    document.getElementById('callbacks-empty').hidden = data.callbacks.length > 0;
  }

  async function loadRatings() {
    const data = await api('GET', '/api/console/ratings');
    document.getElementById('ratings-average').textContent =
      data.average === null ? '' : t('ratings.average', { average: data.average, count: data.ratings.length });
    document.getElementById('ratings-body').replaceChildren(...data.ratings.map((r) =>
      h('tr', { 'data-testid': 'rating-row' },
        h('td', { className: 'score' }, '★'.repeat(r.score) + '☆'.repeat(5 - r.score) + ' ' + r.score),
        h('td', {}, r.agent || ''), h('td', {}, conversationLink(r.conversationId)), h('td', {}, fmtTime(r.createdAt)))));
    document.getElementById('ratings-empty').hidden = data.ratings.length > 0;
  }

  async function loadDashboard() {
    const d = await api('GET', '/api/console/dashboard?days=14');
    document.getElementById('dashboard-days').textContent = t('dashboard.days', { days: d.days });
    document.getElementById('kpi-conversations').textContent = String(d.conversations);
    document.getElementById('kpi-handoff').textContent = pct(d.handoffRate);
    document.getElementById('kpi-fallback').textContent = pct(d.fallbackRate);
    document.getElementById('kpi-messages').textContent = String(d.sellerMessages);
    const max = Math.max(1, ...d.conversationsPerDay.map((x) => x.count));
    document.getElementById('per-day').replaceChildren(...d.conversationsPerDay.map((x) => {
      const bar = h('span', { className: 'bar' });
      bar.style.width = Math.round((x.count / max) * 100) + '%';
      return h('div', { className: 'bar-row' }, h('span', { className: 'day' }, x.day.slice(5)), bar, h('span', { className: 'count' }, String(x.count)));
    }));
    document.getElementById('top-intents').replaceChildren(...d.topIntents.map((x) => h('tr', {}, h('td', {}, x.intent), h('td', {}, String(x.count)))));
    const nu = document.getElementById('not-understood');
    nu.replaceChildren(...(d.latestNotUnderstood.length
      ? d.latestNotUnderstood.map((x) => h('li', {}, h('span', { className: 'time' }, fmtTime(x.at)), ' ', h('span', { className: 'text' }, x.text), ' ', conversationLink(x.conversationId)))
      : [h('li', { className: 'muted' }, t('dashboard.empty'))]));
  }

  // ---- live events ----
  const liveStatus = document.getElementById('live-status');
  let socket;
  let retryMs = 1000;
  function connect() {
    const scheme = location.protocol === 'https:' ? 'wss://' : 'ws://';
    socket = new WebSocket(scheme + location.host + '/api/console/live');
    socket.addEventListener('open', () => {
      retryMs = 1000;
      liveStatus.textContent = t('header.live');
      liveStatus.className = 'live-status on';
    });
    socket.addEventListener('message', (message) => {
      let event;
      try {
        event = JSON.parse(message.data);
      } catch {
        return;
      }
      switch (event.type) {
        case 'conversation':
          upsertConversation(event.conversation);
          break;
        case 'activity':
          appendLine(event.conversationId, event.activity);
          break;
        case 'recognition':
          annotate(event.recognition);
          break;
        case 'callback':
          if (activeTab === 'callbacks') loadCallbacks().catch(showError);
          break;
        case 'rating':
          if (activeTab === 'ratings') loadRatings().catch(showError);
          break;
        case 'resync':
          // Another instance's events may have been missed: reload what is on screen.
          loadConversations().catch(() => undefined);
          if (state.selectedId) selectConversation(state.selectedId);
          if (activeTab === 'callbacks') loadCallbacks().catch(showError);
          if (activeTab === 'ratings') loadRatings().catch(showError);
          break;
        default:
          break;
      }
    });
    socket.addEventListener('close', (event) => {
      liveStatus.textContent = t('header.reconnecting');
      liveStatus.className = 'live-status off';
      if (event.code === 4401) {
        location.assign('/console/login' + location.search);
        return;
      }
      setTimeout(() => {
        // Events missed while disconnected: reload the list (and the open conversation) once.
        connect();
        loadConversations().catch(() => undefined);
        if (state.selectedId) selectConversation(state.selectedId);
      }, retryMs);
      retryMs = Math.min(retryMs * 2, 15000);
    });
  }
  setInterval(() => {
    if (socket && socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify({ type: 'ping' }));
  }, 25000);

  document.getElementById('logout').addEventListener('click', async () => {
    try {
      await api('POST', '/api/console/logout');
    } finally {
      location.assign('/console/login' + location.search);
    }
  });

  (async function start() {
    try {
      const me = await api('GET', '/api/console/me');
      state.me = me;
      state.csrf = me.csrfToken;
      document.getElementById('whoami').textContent = t('header.signedInAs', { name: me.displayName });
      connect();
      await loadConversations();
      document.body.setAttribute('data-ready', 'true');
    } catch (error) {
      if (error.message !== 'UNAUTHENTICATED') showError(error);
    }
  })();
})();
