// Flashcard keys (Anki's): Space or Enter shows the answer, 1-4 rate Again/Hard/Good/Easy,
// Ctrl+Z (Cmd+Z) undoes the last rating.
// The page works without this script: the controls are ordinary buttons in forms.
(function () {
  'use strict';
  var TYPING = /^(INPUT|TEXTAREA|SELECT)$/;
  // A card that takes a typed answer starts with the cursor in its first blank.
  var typed = document.querySelector('[data-study="front"] input[type="text"]');
  if (typed) typed.focus();
  document.addEventListener('keydown', function (event) {
    if (event.defaultPrevented || event.altKey) return;
    var target = event.target;
    // While typing an answer, keys are letters; Enter submits the form as it natively does.
    if (target && (TYPING.test(target.tagName) || target.isContentEditable)) return;
    if (event.ctrlKey || event.metaKey) {
      var undo = document.querySelector('[data-study-undo]');
      if (undo && !undo.disabled && (event.key === 'z' || event.key === 'Z') && !event.shiftKey) {
        event.preventDefault();
        undo.disabled = true;
        undo.form.submit();
      }
      return;
    }
    var reveal = document.querySelector('[data-study-reveal]');
    if (reveal && (event.key === ' ' || event.key === 'Enter')) {
      // A focused button or link already answers Space and Enter itself.
      if (target && (target.tagName === 'BUTTON' || target.tagName === 'A')) return;
      event.preventDefault();
      reveal.click();
      return;
    }
    if (/^[1-4]$/.test(event.key)) {
      var button = document.querySelector('[data-study-rating="' + event.key + '"]');
      if (!button || button.disabled) return;
      event.preventDefault();
      // One rating per page: a second key press must not send another (the server ignores it anyway).
      document.querySelectorAll('[data-study-rating]').forEach(function (b) {
        b.setAttribute('aria-disabled', 'true');
      });
      button.click();
      document.querySelectorAll('[data-study-rating]').forEach(function (b) {
        b.disabled = true;
      });
    }
  });
})();
