// opsbook board filters. Without JavaScript every filter is a plain link to a filtered board
// page; with it, the links filter the cards in place and the address remembers the filter.
(function () {
  'use strict';
  var nav = document.querySelector('.filters');
  var cards = document.querySelectorAll('.board .card');
  var status = nav && nav.querySelector('.filter-status');
  var links = nav ? nav.querySelectorAll('a[data-filter]') : [];

  function apply(key) {
    var field = key ? key.split(':')[0] : '';
    var shown = 0;
    Array.prototype.forEach.call(cards, function (card) {
      var match = !key || card.getAttribute('data-' + field) === key;
      card.hidden = !match;
      if (match) shown += 1;
    });
    Array.prototype.forEach.call(document.querySelectorAll('.board .column'), function (col) {
      var count = col.querySelector('summary .count');
      if (count) count.textContent = col.querySelectorAll('.card:not([hidden])').length;
    });
    Array.prototype.forEach.call(links, function (a) {
      if (a.getAttribute('data-filter') === key) a.setAttribute('aria-current', 'page');
      else a.removeAttribute('aria-current');
    });
    if (status) status.textContent = key ? shown + (shown === 1 ? ' item' : ' items') + ' shown' : '';
  }

  Array.prototype.forEach.call(links, function (a) {
    a.addEventListener('click', function (event) {
      if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
      event.preventDefault();
      var key = a.getAttribute('data-filter');
      apply(key);
      try {
        history.replaceState(null, '', key ? '#filter=' + encodeURIComponent(key) : location.pathname + location.search);
      } catch (e) { /* some browsers refuse history changes on file:// */ }
    });
  });

  var m = /^#filter=(.+)$/.exec(location.hash);
  if (m && nav) apply(decodeURIComponent(m[1]));

  // Print every column, collapsed or not.
  window.addEventListener('beforeprint', function () {
    Array.prototype.forEach.call(document.querySelectorAll('details'), function (d) { d.open = true; });
  });
})();
