// opsbook search: scores the documents of window.OPSBOOK_SEARCH (set by search-index.js, a
// script rather than JSON so that it loads from file:// too) against the query. No network.
(function () {
  'use strict';
  var input = document.getElementById('q');
  var list = document.getElementById('search-results');
  var status = document.getElementById('search-status');
  if (!input || !list || !status) return;
  var data = window.OPSBOOK_SEARCH;
  if (!data || !data.docs) {
    status.textContent = 'The search index could not be loaded.';
    return;
  }

  function fold(s) {
    return (s || '').toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g, '');
  }
  function terms(q) {
    return fold(q).split(/[^\p{L}\p{N}]+/u).filter(function (t) { return t.length > 0; });
  }
  var docs = data.docs.map(function (d) {
    return { doc: d, t: fold(d.t), h: fold(d.h), x: fold(d.x) };
  });

  function count(hay, term) {
    var n = 0, i = hay.indexOf(term);
    while (i >= 0 && n < 5) { n += 1; i = hay.indexOf(term, i + term.length); }
    return n;
  }
  // Every term must occur somewhere; title hits weigh most, then headings and fields, then text.
  function score(d, ts) {
    var total = 0;
    for (var k = 0; k < ts.length; k += 1) {
      var t = ts[k], s = 0;
      if (d.t.indexOf(t) >= 0) s += d.t.indexOf(t) === 0 || /\W/.test(d.t.charAt(d.t.indexOf(t) - 1)) ? 12 : 8;
      if (d.h.indexOf(t) >= 0) s += 4;
      s += count(d.x, t);
      if (s === 0) return 0;
      total += s;
    }
    return total;
  }

  // A few words around the first hit, from the text (or, without one, the fields).
  function snippet(d, ts) {
    var text = d.doc.x || d.doc.h || '';
    var folded = d.doc.x ? d.x : d.h;
    var at = -1, len = 0;
    for (var k = 0; k < ts.length && at < 0; k += 1) {
      at = folded.indexOf(ts[k]);
      len = ts[k].length;
    }
    var p = document.createElement('p');
    p.className = 'snippet';
    if (at < 0 || folded.length !== text.length) {
      p.textContent = text.slice(0, 180) + (text.length > 180 ? '…' : '');
      return p;
    }
    var start = Math.max(0, at - 70);
    var end = Math.min(text.length, at + len + 110);
    p.appendChild(document.createTextNode((start > 0 ? '…' : '') + text.slice(start, at)));
    var mark = document.createElement('mark');
    mark.textContent = text.slice(at, at + len);
    p.appendChild(mark);
    p.appendChild(document.createTextNode(text.slice(at + len, end) + (end < text.length ? '…' : '')));
    return p;
  }

  function show(q) {
    list.textContent = '';
    var ts = terms(q);
    if (ts.length === 0) {
      status.textContent = 'Type to search ' + docs.length + ' documents.';
      return;
    }
    var hits = [];
    docs.forEach(function (d) {
      var s = score(d, ts);
      if (s > 0) hits.push({ d: d, s: s });
    });
    hits.sort(function (a, b) { return b.s - a.s || a.d.t.localeCompare(b.d.t); });
    var shown = hits.slice(0, 50);
    status.textContent = hits.length === 0 ? 'No results for “' + q + '”.'
      : hits.length + (hits.length === 1 ? ' result' : ' results') + ' for “' + q + '”' + (hits.length > shown.length ? ' (best 50 shown).' : '.');
    shown.forEach(function (h) {
      var li = document.createElement('li');
      var a = document.createElement('a');
      var url = h.d.doc.u;
      // Index URLs are relative paths; anything that looks like a scheme is refused.
      if (!/^[a-z][a-z0-9+.-]*:/i.test(url)) a.href = url;
      a.textContent = h.d.doc.t;
      var kind = document.createElement('span');
      kind.className = 'kind';
      kind.textContent = h.d.doc.k;
      li.appendChild(a);
      li.appendChild(document.createTextNode(' '));
      li.appendChild(kind);
      li.appendChild(snippet(h.d, ts));
      list.appendChild(li);
    });
  }

  var q = new URLSearchParams(location.search).get('q') || '';
  input.value = q;
  show(q);
  input.addEventListener('input', function () {
    show(input.value);
    try { history.replaceState(null, '', '?q=' + encodeURIComponent(input.value)); } catch (e) { /* file:// */ }
  });
  input.form.addEventListener('submit', function (event) {
    event.preventDefault();
    show(input.value);
  });
})();
