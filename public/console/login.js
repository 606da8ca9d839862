// Staff sign-in page. Strings come from the embedded locale JSON (locales/<lng>/console.json).
'use strict';
(function () {
  const i18n = JSON.parse(document.getElementById('console-i18n').textContent);
  function t(key, vars) {
    let value = key.split('.').reduce((node, part) => (node && typeof node === 'object' ? node[part] : undefined), i18n.strings);
    if (typeof value !== 'string') return key;
    for (const [name, v] of Object.entries(vars || {})) value = value.split('{{' + name + '}}').join(String(v));
    return value;
  }
  for (const el of document.querySelectorAll('[data-i18n]')) el.textContent = t(el.getAttribute('data-i18n'));

  // Already signed in (e.g. a bookmarked sign-in page): go straight to the console.
  fetch('/api/console/me', { credentials: 'same-origin' })
    .then((res) => {
      if (res.ok && location.pathname !== '/console') location.replace('/console' + location.search);
    })
    .catch(() => undefined);

  const form = document.getElementById('login-form');
  const error = document.getElementById('login-error');
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    error.textContent = '';
    const body = { username: form.username.value, password: form.password.value };
    try {
      const res = await fetch('/api/console/login', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
        credentials: 'same-origin',
      });
      if (res.ok) {
        location.assign('/console' + location.search);
        return;
      }
      if (res.status === 429) {
        error.textContent = t('signIn.tooMany', { seconds: res.headers.get('Retry-After') || '60' });
      } else if (res.status === 401) {
        error.textContent = t('signIn.badCredentials');
      } else {
        error.textContent = t('signIn.failed');
      }
    } catch {
      error.textContent = t('signIn.failed');
    }
  });
})();
