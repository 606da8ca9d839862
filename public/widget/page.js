// Demo page controls: language choice (reloads with ?lang=, the conversation continues) and "new conversation".
(function () {
  'use strict';
  var select = document.getElementById('language');
  if (select) {
    select.addEventListener('change', function () {
      var url = new URL(location.href);
      url.searchParams.set('lang', select.value);
      location.assign(url.toString());
    });
  }
  var reset = document.getElementById('new-conversation');
  if (reset) {
    reset.addEventListener('click', function () {
      try { localStorage.removeItem('cxtbot.directline:' + location.origin); } catch (e) { /* storage disabled */ }
      location.reload();
    });
  }
})();
