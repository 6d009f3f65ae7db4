(function () {
  'use strict';
  /* Search the attempt logs and hide the tasks that passed. The page reads fine without this. */
  var MAX_MARKS = 500;
  document.documentElement.classList.add('js');
  var search = document.getElementById('log-search');
  var problemsOnly = document.getElementById('problems-only');
  var status = document.getElementById('search-status');
  if (!search || !problemsOnly || !status) {
    return;
  }
  var logs = Array.prototype.slice.call(document.querySelectorAll('details.log'));
  var texts = logs.map(function (d) {
    var pre = d.querySelector('pre');
    return pre ? pre.textContent : '';
  });
  var tasks = Array.prototype.slice.call(document.querySelectorAll('article.task'));

  function mark(pre, text, needle) {
    var lower = text.toLowerCase();
    var frag = document.createDocumentFragment();
    var from = 0;
    var count = 0;
    var at = lower.indexOf(needle);
    while (at >= 0 && count < MAX_MARKS) {
      frag.appendChild(document.createTextNode(text.slice(from, at)));
      var m = document.createElement('mark');
      m.textContent = text.slice(at, at + needle.length);
      frag.appendChild(m);
      from = at + needle.length;
      count++;
      at = lower.indexOf(needle, from);
    }
    if (count === 0) {
      return 0;
    }
    frag.appendChild(document.createTextNode(text.slice(from)));
    pre.textContent = '';
    pre.appendChild(frag);
    return count;
  }

  function apply() {
    var needle = search.value.toLowerCase();
    var matches = 0;
    var logsMatched = 0;
    logs.forEach(function (d, i) {
      var pre = d.querySelector('pre');
      if (pre) {
        pre.textContent = texts[i];
      }
      if (needle === '') {
        d.hidden = false;
        return;
      }
      var n = pre ? mark(pre, texts[i], needle) : 0;
      d.hidden = n === 0;
      if (n > 0) {
        d.open = true;
        matches += n;
        logsMatched++;
      }
    });
    tasks.forEach(function (t) {
      var hide = problemsOnly.checked && t.getAttribute('data-status') === 'PASSED';
      if (needle !== '' && !t.querySelector('details.log:not([hidden])')) {
        hide = true;
      }
      t.hidden = hide;
    });
    status.textContent = needle === ''
      ? ''
      : matches + (matches === 1 ? ' match' : ' matches') + ' in ' + logsMatched
        + (logsMatched === 1 ? ' log' : ' logs');
  }

  search.addEventListener('input', apply);
  problemsOnly.addEventListener('change', apply);
})();
