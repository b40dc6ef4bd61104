/**
 * The report's only script: the customer table (filter, sort, paginate) and the customer detail
 * panel. Plain ES2017, no dependency, no network; reads its data from an inline JSON block, or
 * inflates it from base64 raw DEFLATE with `DecompressionStream` (a Blob stream: no fetch, nothing
 * the Content-Security-Policy has to allow) when `renderReport` was given a compressor.
 * @internal
 */
import { CLIENT_DECODE } from './_pack';

export const CLIENT_JS = `(function () {
  'use strict';${CLIENT_DECODE}
  var el = document.getElementById('cv-customers');
  if (!el) return;
  function fail(msg) {
    var table = document.getElementById('cv-table'), p = document.createElement('p');
    p.className = 'reason'; p.setAttribute('role', 'alert'); p.textContent = msg;
    if (table && table.parentNode) table.parentNode.insertBefore(p, table);
    document.documentElement.setAttribute('data-ready', 'true');
  }
  if (!el.getAttribute('data-encoding')) { start(JSON.parse(el.textContent)); return; }
  // Compressed table (base64 of raw DEFLATE): inflated in memory, no request of any kind.
  if (typeof DecompressionStream === 'undefined' || typeof Blob === 'undefined' || typeof Response === 'undefined' || !Blob.prototype.stream) {
    fail('The customer table is compressed and this browser cannot decompress it (it needs DecompressionStream: Chrome/Edge 103+, Firefox 113+, Safari 16.4+). Every section above is complete; open the file in a recent browser for the table.');
    return;
  }
  try {
    var bin = atob(el.textContent), bytes = new Uint8Array(bin.length);
    for (var b = 0; b < bin.length; b++) bytes[b] = bin.charCodeAt(b);
    new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream('deflate-raw'))).text()
      .then(function (text) { start(JSON.parse(text)); }, function (e) { fail('The customer table could not be decompressed (' + e + '); the file may be damaged.'); });
  } catch (e) {
    fail('The customer table could not be decoded (' + e + '); the file may be damaged.');
  }
  function start(D) {
    var T = unpack(D.packed), details = D.details || {};
    var n = T.ids.length, H = T.historyDates.length, P = T.driversPerCustomer;
    var PAGE = 50;
    var state = { band: -2, segment: -2, plan: -2, q: '', key: 'score', dir: 1, page: 0 };
    var $ = function (id) { return document.getElementById(id); };
    var tbody = $('cv-rows'), info = $('cv-info'), detail = $('cv-detail');
    function fill(select, names) {
      if (!select) return;
      names.forEach(function (name, i) {
        var o = document.createElement('option'); o.value = String(i); o.textContent = name; select.appendChild(o);
      });
      if (names.length === 0) select.closest('label').hidden = true;
    }
    fill($('cv-band'), T.bandNames); fill($('cv-segment'), T.segmentNames); fill($('cv-plan'), T.planNames);
    var cols = {
      id: function (i) { return T.ids[i]; },
      score: function (i) { return T.score[i]; },
      band: function (i) { return T.band[i] < 0 ? null : T.bandNames[T.band[i]]; },
      segment: function (i) { return T.segment[i] < 0 ? null : T.segmentNames[T.segment[i]]; },
      plan: function (i) { return T.plan[i] < 0 ? null : T.planNames[T.plan[i]]; },
      churn: function (i) { return T.churn[i]; },
      clv: function (i) { return T.clv[i]; }
    };
    var keys = Array.prototype.map.call(document.querySelectorAll('#cv-table th[data-key]'), function (th) { return th.getAttribute('data-key'); });
    var view = [];
    function compute() {
      var q = state.q.toLowerCase(), out = [];
      for (var i = 0; i < n; i++) {
        if (state.band !== -2 && T.band[i] !== state.band) continue;
        if (state.segment !== -2 && T.segment[i] !== state.segment) continue;
        if (state.plan !== -2 && T.plan[i] !== state.plan) continue;
        if (q && T.ids[i].toLowerCase().indexOf(q) === -1) continue;
        out.push(i);
      }
      var get = cols[state.key], dir = state.dir;
      var keys = new Array(n);
      for (var k = 0; k < out.length; k++) keys[out[k]] = get(out[k]);
      out.sort(function (a, b) {
        var x = keys[a], y = keys[b];
        if (x === null || x === undefined) return (y === null || y === undefined) ? (a - b) : 1;
        if (y === null || y === undefined) return -1;
        if (x < y) return -dir; if (x > y) return dir; return a - b;
      });
      view = out; state.page = 0; render();
    }
    function cell(tr, text, cls) {
      var td = document.createElement('td'); td.textContent = text === null || text === undefined ? '—' : String(text);
      if (cls) td.className = cls; tr.appendChild(td); return td;
    }
    function render() {
      var start = state.page * PAGE, end = Math.min(view.length, start + PAGE);
      var frag = document.createDocumentFragment();
      for (var k = start; k < end; k++) {
        var i = view[k], tr = document.createElement('tr');
        for (var c = 0; c < keys.length; c++) {
          var key = keys[c];
          if (key === 'id') {
            var td = document.createElement('td'), b = document.createElement('button');
            b.type = 'button'; b.className = 'cust'; b.textContent = T.ids[i]; b.setAttribute('data-i', String(i));
            b.setAttribute('aria-label', 'Show details of ' + T.ids[i]);
            td.appendChild(b); tr.appendChild(td);
          } else if (key === 'score') cell(tr, T.score[i], 'num');
          else if (key === 'band') { var band = cols.band(i); var bt = cell(tr, band); if (band) bt.setAttribute('data-band', band); }
          else if (key === 'churn') cell(tr, T.churn[i] === null ? null : T.churn[i].toFixed(1) + '%', 'num');
          else if (key === 'clv') cell(tr, T.clv[i] === null ? null : T.clv[i].toLocaleString('en-US'), 'num');
          else cell(tr, cols[key](i));
        }
        frag.appendChild(tr);
      }
      tbody.textContent = ''; tbody.appendChild(frag);
      info.textContent = view.length === 0 ? 'No customer matches.' : 'Customers ' + (start + 1) + '–' + end + ' of ' + view.length + (view.length < n ? ' (filtered from ' + n + ')' : '');
      $('cv-prev').disabled = state.page === 0;
      $('cv-next').disabled = end >= view.length;
      var ths = document.querySelectorAll('#cv-table th[data-key]');
      for (var j = 0; j < ths.length; j++) {
        var th = ths[j], key = th.getAttribute('data-key');
        th.setAttribute('aria-sort', key === state.key ? (state.dir === 1 ? 'ascending' : 'descending') : 'none');
      }
    }
    function sparkline(values, dates) {
      var pts = [], w = 280, h = 70, m = 8;
      var nums = values.filter(function (v) { return v !== null; });
      if (nums.length === 0) return '<p>No score history.</p>';
      for (var k = 0; k < values.length; k++) {
        if (values[k] === null) continue;
        var x = m + (values.length > 1 ? k / (values.length - 1) : 0.5) * (w - 2 * m);
        var y = h - m - (values[k] / 100) * (h - 2 * m);
        pts.push(x.toFixed(1) + ',' + y.toFixed(1));
      }
      var desc = values.map(function (v, k) { return new Date(dates[k]).toISOString().slice(0, 10) + ': ' + (v === null ? 'no score' : v); }).join('; ');
      var svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
      svg.setAttribute('viewBox', '0 0 ' + w + ' ' + h); svg.setAttribute('class', 'chart spark'); svg.setAttribute('role', 'img');
      svg.setAttribute('aria-label', 'Health score history: ' + desc);
      var line = document.createElementNS('http://www.w3.org/2000/svg', 'polyline');
      line.setAttribute('points', pts.join(' ')); line.setAttribute('fill', 'none'); line.setAttribute('stroke', '#0072B2'); line.setAttribute('stroke-width', '2');
      svg.appendChild(line);
      return svg;
    }
    function show(i) {
      var id = T.ids[i];
      detail.textContent = '';
      var h = document.createElement('h3'); h.textContent = id; detail.appendChild(h);
      var p = document.createElement('p');
      p.textContent = 'Health ' + (T.score[i] === null ? '—' : T.score[i]) + (cols.band(i) ? ' (' + cols.band(i) + ')' : '') +
        (T.churn[i] === null ? '' : ' · churn risk ' + T.churn[i].toFixed(1) + '%') + (T.clv[i] === null ? '' : ' · CLV ' + T.clv[i].toLocaleString('en-US')) +
        (cols.segment(i) ? ' · ' + cols.segment(i) : '') + (cols.plan(i) ? ' · plan ' + cols.plan(i) : '');
      detail.appendChild(p);
      var hist = T.history.slice(i * H, i * H + H);
      var hh = document.createElement('h4'); hh.textContent = 'Score history'; detail.appendChild(hh);
      var s = sparkline(hist, T.historyDates);
      if (typeof s === 'string') { var q = document.createElement('p'); q.textContent = 'No score history.'; detail.appendChild(q); } else detail.appendChild(s);
      var dh = document.createElement('h4'); dh.textContent = 'Drivers'; detail.appendChild(dh);
      var ul = document.createElement('ul'); ul.className = 'drivers';
      var rich = details[id];
      var items = [];
      if (rich) items = rich;
      else for (var k = 0; k < P; k++) {
        var code = T.drivers[(i * P + k) * 2];
        if (code < 0) continue;
        var pts = T.drivers[(i * P + k) * 2 + 1] / 10;
        items.push({ label: T.driverNames[code], impact: pts, sentence: T.driverNames[code] + ': ' + (pts > 0 ? '+' : '') + pts + ' points' });
      }
      if (items.length === 0) { var none = document.createElement('li'); none.textContent = 'No driver: the customer has no health score.'; ul.appendChild(none); }
      var max = 1; items.forEach(function (d) { max = Math.max(max, Math.abs(d.impact)); });
      items.forEach(function (d) {
        var li = document.createElement('li');
        var bar = document.createElement('span'); bar.className = 'bar ' + (d.impact < 0 ? 'neg' : 'pos');
        bar.style.width = Math.max(2, Math.round(Math.abs(d.impact) / max * 120)) + 'px';
        bar.setAttribute('aria-hidden', 'true');
        var t = document.createElement('span'); t.textContent = d.sentence + ' (' + (d.impact > 0 ? '+' : '') + d.impact + ')';
        li.appendChild(bar); li.appendChild(t); ul.appendChild(li);
      });
      detail.appendChild(ul);
      detail.hidden = false;
      detail.focus();
    }
    tbody.addEventListener('click', function (e) {
      var b = e.target.closest ? e.target.closest('button.cust') : null;
      if (b) show(Number(b.getAttribute('data-i')));
    });
    document.querySelectorAll('button.cust-link').forEach(function (b) {
      b.addEventListener('click', function () {
        var i = T.ids.indexOf(b.getAttribute('data-id'));
        if (i >= 0) { show(i); detail.scrollIntoView(); }
      });
    });
    function num(v) { return v === '' ? -2 : Number(v); }
    $('cv-band').addEventListener('change', function (e) { state.band = num(e.target.value); compute(); });
    $('cv-segment').addEventListener('change', function (e) { state.segment = num(e.target.value); compute(); });
    $('cv-plan').addEventListener('change', function (e) { state.plan = num(e.target.value); compute(); });
    var timer = 0;
    $('cv-search').addEventListener('input', function (e) { clearTimeout(timer); var v = e.target.value; timer = setTimeout(function () { state.q = v.trim(); compute(); }, 120); });
    $('cv-prev').addEventListener('click', function () { if (state.page > 0) { state.page--; render(); } });
    $('cv-next').addEventListener('click', function () { if ((state.page + 1) * PAGE < view.length) { state.page++; render(); } });
    document.querySelectorAll('#cv-table th[data-key] button').forEach(function (b) {
      b.addEventListener('click', function () {
        var key = b.parentNode.getAttribute('data-key');
        if (state.key === key) state.dir = -state.dir; else { state.key = key; state.dir = key === 'churn' || key === 'clv' ? -1 : 1; }
        compute();
      });
    });
    compute();
    document.documentElement.setAttribute('data-ready', 'true');
  }
})();`;
