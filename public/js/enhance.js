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
})();
