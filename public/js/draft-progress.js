// Enhances the drafts queue while a drafting run is in flight: polls its status, moves the
// progress bar, and reloads the page when the drafts are stored. Without JavaScript, "Refresh" does.
(function () {
  'use strict';
  var box = document.getElementById('draft-progress');
  var bar = document.getElementById('draft-progress-bar');
  var text = document.getElementById('draft-progress-text');
  if (!box || !bar || !text || !window.fetch) return;
  var url = box.getAttribute('data-status-url');
  var timer = setInterval(function () {
    fetch(url, { headers: { Accept: 'application/json' } })
      .then(function (r) {
        return r.ok ? r.json() : null;
      })
      .then(function (s) {
        if (!s) return;
        if (s.state === 'running' && s.of) {
          bar.max = s.of;
          bar.value = s.done;
          text.textContent = 'Drafting: passage ' + s.done + ' of ' + s.of;
        } else if (s.state !== 'waiting' && s.state !== 'running') {
          clearInterval(timer);
          window.location.reload();
        }
      })
      .catch(function () {});
  }, 700);
})();
