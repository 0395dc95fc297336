// opsbook search: answers as you type from window.OPSBOOK_SEARCH (set by search-index.js, a
// script rather than JSON so that it loads from file:// too). No network.
//
// The index lists each word once with the documents it is in. Words and queries are folded
// (case, accents) and stemmed the same way (`prioritise`, `prioritize` and `prioritising` are one
// word); a query word of five letters or more also finds words one typo away, and the last word
// typed also finds the words it begins. Every query word must match; title hits weigh most, then
// headings and fields, then text.
(function () {
  'use strict';
  var input = document.getElementById('q');
  var list = document.getElementById('search-results');
  var status = document.getElementById('search-status');
  if (!input || !list || !status) return;
  var data = window.OPSBOOK_SEARCH;
  if (!data || !data.docs || !data.words) {
    status.textContent = 'The search index could not be loaded.';
    return;
  }

  function fold(s) {
    return (s || '').toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g, '');
  }

  // A light English stemmer: British and American spellings meet, plurals and verb endings go.
  function stem(w) {
    if (w.length < 4 || /\d/.test(w)) return w;
    w = w.replace(/is(e|es|ed|ing|ation|ations|er|ers)$/, 'iz$1').replace(/ys(e|es|ed|ing)$/, 'yz$1');
    if (/sses$/.test(w)) w = w.slice(0, -2);
    else if (/ies$/.test(w) && w.length > 4) w = w.slice(0, -3) + 'y';
    else if (/[^su]s$/.test(w)) w = w.slice(0, -1);
    if (/ization$/.test(w)) w = w.slice(0, -5) + 'e';
    else if (/ational$/.test(w)) w = w.slice(0, -5) + 'e';
    else if (/ation$/.test(w) && w.length > 7) w = w.slice(0, -3) + 'e';
    if (/ing$/.test(w) && w.length > 5) w = w.slice(0, -3);
    else if (/ed$/.test(w) && w.length > 4) w = w.slice(0, -2);
    else if (/ly$/.test(w) && w.length > 5) w = w.slice(0, -2);
    if (/([^aeioulsz])\1$/.test(w)) w = w.slice(0, -1);
    if (/e$/.test(w) && w.length > 4) w = w.slice(0, -1);
    return w;
  }

  // Stem → [[document, weight], …]; raw folded word → its stem.
  var postings = {};
  var vocab = [];
  Object.keys(data.words).forEach(function (word) {
    var folded = fold(word), s = stem(folded);
    vocab.push([folded, s]);
    var into = postings[s] || (postings[s] = {});
    var doc = 0;
    data.words[word].split(',').forEach(function (entry) {
      doc += parseInt(entry.slice(0, -1), 36);
      var weight = parseInt(entry.slice(-1), 36);
      if (!(into[doc] >= weight)) into[doc] = weight;
    });
  });
  var stop = {};
  (data.stop || []).forEach(function (w) { stop[w] = true; });

  // At most one edit (insert, delete, replace, or swap two neighbours) between a and b.
  function oneTypo(a, b) {
    var la = a.length, lb = b.length;
    if (Math.abs(la - lb) > 1 || a === b) return a === b;
    var i = 0;
    while (i < la && i < lb && a[i] === b[i]) i += 1;
    if (la === lb) {
      return a.slice(i + 1) === b.slice(i + 1) ||
        (a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2));
    }
    return la > lb ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
  }

  // The stems a query word stands for, each with how well it matches (1 exact, less otherwise).
  function stems(term, last) {
    var out = {};
    out[stem(term)] = 1;
    if (term.length >= 5 || last) {
      vocab.forEach(function (v) {
        if (out[v[1]] === 1) return;
        if (last && term.length >= 2 && v[0].indexOf(term) === 0) out[v[1]] = Math.max(out[v[1]] || 0, 0.8);
        else if (term.length >= 5 && oneTypo(term, v[0])) out[v[1]] = Math.max(out[v[1]] || 0, 0.6);
      });
    }
    return out;
  }

  function search(q) {
    var ts = fold(q).split(/[^\p{L}\p{N}]+/u).filter(function (t) { return t && !stop[t]; });
    if (ts.length === 0) return null;
    var scores = null;
    ts.forEach(function (t, k) {
      var found = {};
      var candidates = stems(t, k === ts.length - 1 && /[\p{L}\p{N}]$/u.test(q));
      Object.keys(candidates).forEach(function (s) {
        var docs = postings[s];
        if (!docs) return;
        Object.keys(docs).forEach(function (d) {
          var v = docs[d] * candidates[s];
          if (!(found[d] >= v)) found[d] = v;
        });
      });
      if (scores === null) scores = found;
      else {
        var both = {};
        Object.keys(scores).forEach(function (d) { if (d in found) both[d] = scores[d] + found[d]; });
        scores = both;
      }
    });
    return Object.keys(scores).map(function (d) { return { d: data.docs[+d], s: scores[d] }; });
  }

  function show(q) {
    list.textContent = '';
    var hits = search(q);
    if (hits === null) {
      status.textContent = 'Type to search ' + data.docs.length + ' documents.';
      return;
    }
    hits.sort(function (a, b) { return b.s - a.s || a.d.t.localeCompare(b.d.t); });
    var shown = hits.slice(0, 50);
    status.textContent = hits.length === 0 ? 'No results for “' + q + '”.'
      : hits.length + (hits.length === 1 ? ' result' : ' results') + ' for “' + q + '”' + (hits.length > shown.length ? ' (best 50 shown).' : '.');
    shown.forEach(function (h) {
      var li = document.createElement('li');
      var a = document.createElement('a');
      var url = h.d.u;
      // Index URLs are relative paths; anything that looks like a scheme is refused.
      if (!/^[a-z][a-z0-9+.-]*:/i.test(url)) a.href = url;
      a.textContent = h.d.t;
      var kind = document.createElement('span');
      kind.className = 'kind';
      kind.textContent = h.d.k;
      var p = document.createElement('p');
      p.className = 'snippet';
      p.textContent = h.d.s;
      li.appendChild(a);
      li.appendChild(document.createTextNode(' '));
      li.appendChild(kind);
      li.appendChild(p);
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
