// Progressive enhancement shared by every page; pages work without it.
(function () {
  'use strict';
  // Confirm destructive actions marked with data-confirm.
  document.addEventListener('submit', function (event) {
    var form = event.target;
    if (form instanceof HTMLFormElement && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
    }
  });

  // The browser's time zone for login and registration forms (the server checks it).
  try {
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    Array.prototype.forEach.call(document.querySelectorAll('input[data-detect-time-zone]'), function (input) {
      input.value = zone || '';
    });
  } catch (e) {
    /* an old browser: the account stays in UTC until chosen */
  }

  // A Copy button beside text marked data-copy (the join code); the result is announced.
  if (navigator.clipboard) {
    Array.prototype.forEach.call(document.querySelectorAll('[data-copy]'), function (el) {
      var button = document.createElement('button');
      button.type = 'button';
      button.className = 'secondary copy-button';
      button.textContent = 'Copy ' + el.dataset.copy;
      var said = document.createElement('span');
      said.setAttribute('role', 'status');
      said.className = 'copy-status';
      button.addEventListener('click', function () {
        navigator.clipboard.writeText(el.textContent.trim()).then(
          function () {
            said.textContent = 'Copied.';
          },
          function () {
            said.textContent = 'Could not copy: select the code and copy it by hand.';
          },
        );
      });
      el.insertAdjacentElement('afterend', said);
      el.insertAdjacentElement('afterend', button);
    });
  }
})();
