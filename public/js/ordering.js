// Ordering questions as a reorderable list: drag an item (mouse, pen or touch) or use its
// Move up / Move down buttons; each move is announced in a polite live region. The position
// selects stay in the form as the value that is posted, and are all rewritten at once after
// each move, so the answer is always a full order: two items swap without ever sharing a
// position, and autosave never sees a half-arranged question. Without this script the selects
// work on their own. Written here rather than with a library: SortableJS and its peers have
// no keyboard moves or announcements, which is the part that matters most, and the rest is
// fifty lines of pointer events.
(function () {
  'use strict';
  var lists = document.querySelectorAll('ol[data-ordering]:not([data-enhanced])');
  Array.prototype.forEach.call(lists, function (list) {
    var fieldset = list.closest('fieldset');
    if (fieldset && fieldset.disabled) return;
    list.setAttribute('data-enhanced', '');
    enhance(list);
  });

  function enhance(list) {
    var items = Array.prototype.slice.call(list.querySelectorAll(':scope > li'));
    var n = items.length;
    var positionOf = function (li) {
      return li.querySelector('select').value;
    };
    // Start from the saved order when there is a complete one, else the order as presented.
    var complete = items.every(function (li) {
      return positionOf(li) !== '';
    });
    if (complete) {
      items.sort(function (a, b) {
        return Number(positionOf(a)) - Number(positionOf(b));
      });
      items.forEach(function (li) {
        list.appendChild(li);
      });
    }
    var hint = list.previousElementSibling;
    if (hint && hint.classList.contains('question-hint')) {
      hint.textContent = 'Put the items in order, first at the top: drag an item, or use its Move up and Move down buttons.';
    }
    var live = document.createElement('p');
    live.className = 'visually-hidden';
    live.setAttribute('aria-live', 'polite');
    live.setAttribute('data-testid', 'ordering-announce');
    list.parentNode.insertBefore(live, list.nextSibling);
    list.classList.add('ordering-enhanced');

    var textOf = function (li) {
      return li.querySelector('.question-item-text').textContent.trim();
    };
    items.forEach(function (li) {
      var select = li.querySelector('select');
      select.hidden = true;
      select.tabIndex = -1;
      // The label pointed at the hidden select; it becomes plain text with a drag handle.
      var label = li.querySelector('label');
      var text = document.createElement('span');
      text.className = 'question-item-text';
      text.id = select.id + '-text';
      text.textContent = label.textContent;
      label.replaceWith(text);
      var handle = document.createElement('span');
      handle.className = 'ordering-handle';
      handle.setAttribute('aria-hidden', 'true');
      handle.textContent = '⠿';
      li.insertBefore(handle, text);
      var number = document.createElement('span');
      number.className = 'ordering-number';
      li.insertBefore(number, handle);
      var buttons = document.createElement('span');
      buttons.className = 'ordering-buttons';
      [
        ['up', 'Move up', '↑'],
        ['down', 'Move down', '↓'],
      ].forEach(function (b) {
        var button = document.createElement('button');
        button.type = 'button';
        button.className = 'secondary ordering-move';
        button.dataset.move = b[0];
        button.setAttribute('aria-label', b[1] + ': ' + text.textContent.trim());
        button.innerHTML = '<span aria-hidden="true">' + b[2] + '</span> <span class="ordering-move-word">' + b[1] + '</span>';
        buttons.appendChild(button);
      });
      li.appendChild(buttons);
      li.addEventListener('pointerdown', startDrag);
    });
    renumber();

    function current() {
      return Array.prototype.slice.call(list.querySelectorAll(':scope > li'));
    }
    function renumber() {
      current().forEach(function (li, i) {
        li.querySelector('.ordering-number').textContent = i + 1 + '.';
      });
    }
    // Writes every select from the list's order, then tells the form once (autosave listens).
    function commit(moved) {
      var now = current();
      now.forEach(function (li, i) {
        li.querySelector('select').value = String(i + 1);
      });
      renumber();
      if (moved) live.textContent = textOf(moved) + ': position ' + (now.indexOf(moved) + 1) + ' of ' + n + '.';
      now[0].querySelector('select').dispatchEvent(new Event('change', { bubbles: true }));
    }

    list.addEventListener('click', function (event) {
      var button = event.target.closest('button[data-move]');
      if (!button) return;
      var li = button.closest('li');
      var now = current();
      var at = now.indexOf(li);
      var to = button.dataset.move === 'up' ? at - 1 : at + 1;
      if (to < 0 || to >= n) {
        live.textContent = textOf(li) + ' is already ' + (to < 0 ? 'first' : 'last') + '.';
        return;
      }
      if (to < at) list.insertBefore(li, now[to]);
      else list.insertBefore(li, now[to].nextSibling);
      button.focus();
      commit(li);
    });

    var dragging = null;
    var startIndex = -1;
    function startDrag(event) {
      if (event.button !== 0 || event.target.closest('button')) return;
      dragging = event.currentTarget;
      startIndex = current().indexOf(dragging);
      dragging.classList.add('dragging');
      // Listened for on the document, not by pointer capture: moving the item in the DOM
      // would release the capture.
      document.addEventListener('pointermove', moveDrag);
      document.addEventListener('pointerup', endDrag);
      document.addEventListener('pointercancel', endDrag);
      event.preventDefault();
    }
    function moveDrag(event) {
      if (!dragging) return;
      var y = event.clientY;
      var others = current().filter(function (li) {
        return li !== dragging;
      });
      var before = null;
      for (var i = 0; i < others.length; i++) {
        var box = others[i].getBoundingClientRect();
        if (y < box.top + box.height / 2) {
          before = others[i];
          break;
        }
      }
      if (before !== dragging.nextElementSibling) list.insertBefore(dragging, before);
    }
    function endDrag() {
      if (!dragging) return;
      var li = dragging;
      dragging = null;
      li.classList.remove('dragging');
      document.removeEventListener('pointermove', moveDrag);
      document.removeEventListener('pointerup', endDrag);
      document.removeEventListener('pointercancel', endDrag);
      // A press without a move is not an answer.
      if (current().indexOf(li) !== startIndex) commit(li);
    }
  }
})();
