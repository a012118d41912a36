// Enhances the add-a-source form: the upload goes by XHR so its progress shows, and while the
// server reads the document its page count is polled. Without JavaScript the form posts as usual.
(function () {
  'use strict';
  var form = document.getElementById('source-form');
  var status = document.getElementById('upload-status');
  var bar = document.getElementById('upload-progress');
  if (!form || !status || !bar || !window.XMLHttpRequest || !window.FormData) return;
  form.addEventListener('submit', function (event) {
    event.preventDefault();
    var job = window.crypto && crypto.randomUUID ? crypto.randomUUID() : String(Date.now()) + Math.random().toString(16).slice(2);
    var xhr = new XMLHttpRequest();
    var poll = null;
    xhr.open('POST', form.action + '&job=' + encodeURIComponent(job));
    bar.hidden = false;
    xhr.upload.onprogress = function (e) {
      if (!e.lengthComputable) return;
      bar.max = e.total;
      bar.value = e.loaded;
      status.textContent = 'Uploading: ' + Math.round((100 * e.loaded) / e.total) + '%';
    };
    xhr.upload.onload = function () {
      status.textContent = 'Reading the document…';
      bar.removeAttribute('value');
      poll = setInterval(function () {
        fetch('/sources/new/progress/' + encodeURIComponent(job), { headers: { Accept: 'application/json' } })
          .then(function (r) {
            return r.ok ? r.json() : null;
          })
          .then(function (p) {
            if (p && p.total) {
              bar.max = p.total;
              bar.value = p.done;
              status.textContent = 'Reading the document: page ' + p.done + ' of ' + p.total;
            }
          })
          .catch(function () {});
      }, 700);
    };
    xhr.onload = function () {
      if (poll) clearInterval(poll);
      document.open();
      document.write(xhr.responseText);
      document.close();
    };
    xhr.onerror = function () {
      if (poll) clearInterval(poll);
      status.textContent = 'The upload failed; check the connection and try again.';
    };
    xhr.send(new FormData(form));
  });
})();
