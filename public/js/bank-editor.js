// Bank editor enhancements; the pages work without them.
// - Question form: show only the fields of the chosen question type.
// - Import form: read a chosen file into the textarea (no upload needed).
(function () {
  'use strict';
  var select = document.querySelector('[data-type-select]');
  if (select) {
    var groups = document.querySelectorAll('.type-fields[data-for-types]');
    var sync = function () {
      groups.forEach(function (g) {
        g.hidden = g.getAttribute('data-for-types').split(' ').indexOf(select.value) < 0;
      });
    };
    select.addEventListener('change', sync);
    sync();
  }

  var fileBox = document.querySelector('[data-import-file]');
  var text = document.getElementById('f-text');
  if (fileBox && text && window.FileReader) {
    fileBox.hidden = false;
    var input = fileBox.querySelector('input[type=file]');
    input.addEventListener('change', function () {
      var file = input.files && input.files[0];
      if (!file) return;
      var reader = new FileReader();
      reader.onload = function () {
        text.value = String(reader.result);
        var json = /\.json$/i.test(file.name);
        var radio = document.querySelector('input[name=format][value=' + (json ? 'json' : 'gift') + ']');
        if (radio) radio.checked = true;
      };
      reader.readAsText(file);
    });
  }
})();
