// Quiz builder: the pick list filters as you type or choose a type (the server filters the same
// way when "Update the list" is pressed without this script). Ticked questions stay ticked.
(function () {
  'use strict';
  var pick = document.querySelector('[data-pick]');
  if (!pick) return;
  var text = pick.querySelector('[data-pick-text]');
  var type = pick.querySelector('[data-pick-type]');
  var count = pick.querySelector('[data-pick-count]');
  var items = Array.prototype.slice.call(pick.querySelectorAll('.pick-item'));
  function apply() {
    var words = (text.value || '').toLowerCase().trim().split(/\s+/).filter(Boolean);
    var wanted = type.value;
    var shown = 0;
    items.forEach(function (item) {
      var hay = item.getAttribute('data-text') || '';
      var match =
        (!wanted || item.getAttribute('data-type') === wanted) &&
        words.every(function (w) {
          return hay.indexOf(w) !== -1;
        });
      item.hidden = !match;
      if (match) shown += 1;
    });
    count.textContent = shown === items.length ? items.length + ' listed' : shown + ' of ' + items.length + ' shown';
  }
  text.addEventListener('input', apply);
  type.addEventListener('change', apply);
  // Enter in the search box filters here instead of posting the form.
  text.addEventListener('keydown', function (event) {
    if (event.key === 'Enter') event.preventDefault();
  });
})();
