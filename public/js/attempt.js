// Attempt pages: autosave on change, and an accessible countdown. The pages work without this
// script ("Save and next" posts the form; the server keeps the time and submits when it runs out).
(function () {
  'use strict';
  var tokenMeta = document.querySelector('meta[name="csrf-token"]');
  var token = tokenMeta ? tokenMeta.getAttribute('content') : '';

  // ---- Autosave: each change posts this question's fields to the JSON endpoint, one at a time.
  var form = document.getElementById('attempt-form');
  if (form && form.dataset.autosave && window.fetch && window.URLSearchParams && window.FormData) {
    var status = form.querySelector('.autosave-status');
    var queue = Promise.resolve();
    var say = function (text, isError) {
      if (!status) return;
      status.textContent = text;
      status.classList.toggle('autosave-error', Boolean(isError));
    };
    // An ordering question part-way through arranging (some positions blank or shared) is not
    // an error: wait until every item has its own position (the drag list never gets here).
    var halfArranged = function () {
      return Array.prototype.some.call(form.querySelectorAll('ol[data-ordering]'), function (list) {
        var values = Array.prototype.map.call(list.querySelectorAll('select'), function (s) {
          return s.value;
        });
        var filled = values.filter(function (v) {
          return v !== '';
        });
        return filled.length > 0 && (filled.length < values.length || new Set(filled).size < filled.length);
      });
    };
    var save = function () {
      if (halfArranged()) {
        say('Not saved yet: it will be once every item has its own position.');
        return Promise.resolve();
      }
      var body = new URLSearchParams();
      new FormData(form).forEach(function (value, name) {
        if (name !== '_csrf' && typeof value === 'string') body.append(name, value);
      });
      say('Saving…');
      return fetch(form.dataset.autosave, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { Accept: 'application/json', 'Content-Type': 'application/x-www-form-urlencoded', 'x-csrf-token': token },
        body: body.toString(),
      })
        .then(function (res) {
          return res
            .json()
            .catch(function () {
              return {};
            })
            .then(function (data) {
              if (res.ok && data.saved) {
                var at = new Date(data.savedAt);
                say('Saved at ' + at.toLocaleTimeString() + '.');
                form.dataset.savedAt = data.savedAt;
              } else if (res.status === 409) {
                say((data && data.error) || 'This attempt is over.', true);
                window.setTimeout(function () {
                  window.location.reload();
                }, 1500);
              } else {
                say((data && data.error) || 'Your answer could not be saved. Use "Save and next" to try again.', true);
              }
            });
        })
        .catch(function () {
          say('Not saved: the connection failed. Your answer will be sent when you press "Save and next".', true);
        });
    };
    form.addEventListener('change', function () {
      queue = queue.then(save);
    });
    // An essay is saved when the writer pauses too, not only when they leave the box.
    var typing = 0;
    form.addEventListener('input', function (e) {
      if (!e.target || e.target.tagName !== 'TEXTAREA') return;
      window.clearTimeout(typing);
      typing = window.setTimeout(function () {
        queue = queue.then(save);
      }, 2000);
    });
  }

  // ---- Essays: a live word count beside the box (the server enforces the limit when saving).
  Array.prototype.forEach.call(document.querySelectorAll('textarea.question-essay'), function (box) {
    var limit = Number(box.getAttribute('data-word-limit')) || 0;
    var count = document.createElement('p');
    count.className = 'question-hint essay-count';
    count.setAttribute('aria-live', 'polite');
    box.parentNode.insertBefore(count, box.nextSibling);
    var show = function () {
      var words = box.value.split(/\s+/).filter(function (w) {
        return /[\p{L}\p{N}]/u.test(w);
      }).length;
      count.textContent =
        words + ' word' + (words === 1 ? '' : 's') + (limit ? ' of at most ' + limit : '') + (limit && words > limit ? ': too long to save' : '');
      count.classList.toggle('autosave-error', limit > 0 && words > limit);
    };
    box.addEventListener('input', show);
    show();
  });

  // ---- Timer: a visible countdown that a student can hide; screen readers hear 5 and 1 minute only.
  var timer = document.querySelector('.attempt-timer');
  if (timer && timer.dataset.deadline) {
    var deadline = new Date(timer.dataset.deadline).getTime();
    var offset = new Date(timer.dataset.serverNow).getTime() - Date.now();
    var grace = Number(timer.dataset.graceMs || 0);
    var value = timer.querySelector('.timer-value');
    var display = timer.querySelector('.timer-display');
    var live = timer.querySelector('.timer-announce');
    var toggle = document.createElement('button');
    toggle.type = 'button';
    toggle.className = 'timer-toggle secondary';
    toggle.setAttribute('aria-pressed', 'false');
    toggle.textContent = 'Hide timer';
    timer.querySelector('.timer-line').appendChild(toggle);
    var hidden = false;
    var setHidden = function (h) {
      hidden = h;
      display.hidden = h;
      toggle.textContent = h ? 'Show timer' : 'Hide timer';
      toggle.setAttribute('aria-pressed', h ? 'true' : 'false');
      try {
        window.localStorage.setItem('lectern.timerHidden', h ? '1' : '0');
      } catch (e) {
        /* private mode */
      }
    };
    toggle.addEventListener('click', function () {
      setHidden(!hidden);
    });
    try {
      if (window.localStorage.getItem('lectern.timerHidden') === '1') setHidden(true);
    } catch (e) {
      /* private mode */
    }

    var leftAtStart = deadline - (Date.now() + offset);
    // Thresholds already passed when the page opened are not announced again.
    var announced = { 5: leftAtStart <= 5 * 60000, 1: leftAtStart <= 60000 };
    var reloading = false;
    var pad = function (n) {
      return (n < 10 ? '0' : '') + n;
    };
    var tick = function () {
      var left = deadline - (Date.now() + offset);
      var secs = Math.max(0, Math.ceil(left / 1000));
      var h = Math.floor(secs / 3600);
      var m = Math.floor((secs % 3600) / 60);
      value.textContent = (h ? h + ':' + pad(m) : String(m)) + ':' + pad(secs % 60);
      if (!announced[5] && left <= 5 * 60000 && left > 60000) {
        announced[5] = true;
        live.textContent = '5 minutes left.';
      }
      if (!announced[1] && left <= 60000 && left > 0) {
        announced[1] = announced[5] = true;
        live.textContent = '1 minute left.';
      }
      if (left <= 0 && !reloading) {
        value.textContent = 'Time is up';
        // After the grace period the server submits what was saved; reloading shows the result.
        if (left < -grace - 1000) {
          reloading = true;
          window.location.reload();
        }
      }
    };
    tick();
    window.setInterval(tick, 1000);
  }
})();
