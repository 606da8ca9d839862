/*
 * Chat widget snippet. On any page:
 *   <script src="https://<bot host>/embed.js" data-locale="zh-CN" async></script>
 * adds a chat button that opens the assistant; the Web Chat bundle loads only when the button is clicked.
 * With data-container="<element id>" it renders the chat into that element at once (the demo page does this).
 */
(function () {
  'use strict';
  var script = document.currentScript;
  if (!script || window.__cxtWidgetLoaded) return;
  window.__cxtWidgetLoaded = true;
  var base = new URL(script.src, location.href).origin;
  var locale = script.getAttribute('data-locale') === 'en' ? 'en' : 'zh-CN';
  var containerId = script.getAttribute('data-container');
  var nonce = script.nonce || script.getAttribute('nonce') || undefined;
  var storeKey = 'cxtbot.directline:' + base;
  var strings = fetch(base + '/api/widget/strings/' + locale).then(function (r) { return r.ok ? r.json() : {}; }, function () { return {}; });
  var bundle;

  function loadBundle() {
    if (window.WebChat) return Promise.resolve();
    bundle = bundle || new Promise(function (resolve, reject) {
      var s = document.createElement('script');
      s.src = base + '/webchat/webchat.js';
      s.async = true;
      if (nonce) s.nonce = nonce;
      s.onload = resolve;
      s.onerror = reject;
      document.head.appendChild(s);
    });
    return bundle;
  }

  function readSession() {
    try { return JSON.parse(localStorage.getItem(storeKey) || 'null'); } catch (e) { return null; }
  }
  function writeSession(token, conversationId) {
    var exp = 0;
    try { exp = JSON.parse(atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/'))).exp * 1000; } catch (e) { /* opaque */ }
    try { localStorage.setItem(storeKey, JSON.stringify({ token: token, conversationId: conversationId, expiresAt: exp })); } catch (e) { /* storage disabled */ }
  }

  // Reuses the stored token while it is valid; otherwise asks our server, which resumes the same conversation.
  function getSession(fresh) {
    var saved = readSession();
    if (!fresh && saved && saved.expiresAt - Date.now() > 120000) return Promise.resolve(saved);
    return fetch(base + '/api/widget/token', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ locale: locale, previousToken: saved ? saved.token : undefined })
    }).then(function (r) {
      if (!r.ok) throw new Error('token ' + r.status);
      return r.json();
    }).then(function (body) {
      writeSession(body.token, body.conversationId);
      return readSession() || { token: body.token, conversationId: body.conversationId };
    });
  }

  function showMessage(host, text) {
    host.textContent = '';
    var p = document.createElement('p');
    p.style.padding = '24px';
    p.style.color = '#646a73';
    p.textContent = text;
    host.appendChild(p);
  }

  function render(host, session, text, retried) {
    host.textContent = '';
    var el = document.createElement('div');
    el.style.height = '100%';
    host.appendChild(el);
    var directLine = window.WebChat.createDirectLine({
      domain: base + '/v3/directline', token: session.token, conversationId: session.conversationId, webSocket: true
    });
    var done = false;
    var keep = setInterval(function () { if (directLine.token) writeSession(directLine.token, session.conversationId); }, 60000);
    directLine.connectionStatus$.subscribe(function (status) {
      // 3 expired token, 4 failed to connect, 5 ended: Web Chat cannot recover by itself.
      if (done || (status !== 3 && status !== 4 && status !== 5)) return;
      done = true;
      clearInterval(keep);
      if (retried) return showMessage(host, text.connect_failed || '');
      getSession(true).then(function (next) { render(host, next, text, true); }, function () { showMessage(host, text.connect_failed || ''); });
    });
    window.WebChat.renderWebChat({
      directLine: directLine,
      locale: locale,
      nonce: nonce,
      overrideLocalizedStrings: { TEXT_INPUT_PLACEHOLDER: text.send_box_placeholder || '' },
      styleOptions: {
        accentColor: '#ff6a00', backgroundColor: '#f7f8fa', bubbleBorderRadius: 10, bubbleBorderWidth: 0,
        bubbleFromUserBackground: '#ff6a00', bubbleFromUserTextColor: '#ffffff', bubbleFromUserBorderRadius: 10,
        bubbleFromUserBorderWidth: 0, suggestedActionLayout: 'flow', suggestedActionBorderRadius: 16,
        suggestedActionBorderColor: '#ff6a00', suggestedActionTextColor: '#ff6a00', hideUploadButton: true,
        primaryFont: '"PingFang SC","Microsoft YaHei","WenQuanYi Zen Hei",sans-serif', rootHeight: '100%'
      }
    }, el);
  }

  function mount(host) {
    // Enter that confirms an IME candidate must not send: hide composing keystrokes from Web Chat.
    host.addEventListener('keydown', function (e) {
      if (e.key === 'Enter' && (e.isComposing || e.keyCode === 229)) { e.preventDefault(); e.stopPropagation(); }
    }, true);
    return Promise.all([strings, loadBundle(), getSession(false)]).then(function (r) {
      render(host, r[2], r[0], false);
    }, function () {
      return strings.then(function (text) { showMessage(host, text.connect_failed || ''); });
    });
  }

  if (containerId) {
    var target = document.getElementById(containerId);
    if (target) mount(target);
    return;
  }

  var button = document.createElement('button');
  var panel = document.createElement('div');
  var opened = false;
  button.type = 'button';
  button.id = 'cxt-widget-button';
  Object.assign(button.style, {
    position: 'fixed', right: '20px', bottom: '20px', zIndex: '2147483000', padding: '12px 18px',
    border: '0', borderRadius: '24px', background: '#ff6a00', color: '#fff', font: '15px sans-serif',
    boxShadow: '0 4px 16px rgba(0,0,0,.2)', cursor: 'pointer'
  });
  panel.id = 'cxt-widget-panel';
  panel.setAttribute('role', 'dialog');
  Object.assign(panel.style, {
    position: 'fixed', right: '20px', bottom: '76px', zIndex: '2147483000', width: 'min(400px, calc(100vw - 40px))',
    height: 'min(600px, calc(100vh - 100px))', background: '#fff', borderRadius: '12px', overflow: 'hidden',
    boxShadow: '0 8px 32px rgba(0,0,0,.2)', display: 'none'
  });
  strings.then(function (text) {
    button.textContent = text.open_button || '?';
    button.setAttribute('aria-label', text.open_button || '');
    panel.setAttribute('aria-label', text.panel_title || '');
  });
  button.addEventListener('click', function () {
    var show = panel.style.display === 'none';
    panel.style.display = show ? 'block' : 'none';
    strings.then(function (text) { button.textContent = show ? text.close_button || '?' : text.open_button || '?'; });
    if (show && !opened) {
      opened = true;
      strings.then(function (text) { showMessage(panel, text.connecting || ''); });
      mount(panel);
    }
  });
  document.body.appendChild(panel);
  document.body.appendChild(button);
})();
