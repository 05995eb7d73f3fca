// replcheck's HTML report. It draws the matrix from the run's metadata
// (the rows and their cells' statuses), builds the filters, and opens a
// cell's findings in a panel, decoding them from the page's data block
// (the JSON report's document, its findings compressed) when first needed.
//
// Rule IDs, prefixes, object keys, policy Sids and error messages are chosen
// by whoever created the resources, so every string from the report is set
// as text (textContent, value, title) and never parsed as markup.
//
// The matrix is virtualised: only the rows in view (and a few around them)
// exist in the DOM, so a report of 10,000 rows renders and filters as fast
// as one of ten.
(function () {
  'use strict';

  var STATUSES = ['fail', 'warn', 'unknown', 'pass', 'skip'];
  // A cell's code is 1 + the index of its worst status in STATUSES; 0 is a
  // cell without findings.
  var CODE = { fail: 1, warn: 2, unknown: 3, pass: 4, skip: 5 };
  var SYMBOL = ['', '✖', '▲', '?', '✓', '–'];
  var ROW_HEIGHT = 26;
  var OVERSCAN = 8;
  var HEADER_ROWS = 2;

  function byId(id) { return document.getElementById(id); }

  function el(tag, className, text) {
    var e = document.createElement(tag);
    if (className) e.className = className;
    if (text !== undefined && text !== null) e.textContent = text;
    return e;
  }

  function statusName(code) { return code ? STATUSES[code - 1] : 'none'; }

  function shortARN(arn) { return arn.indexOf('arn:aws:s3:::') === 0 ? arn.slice(13) : arn; }

  // buildModel reads the matrix the report carries: its rows (one per
  // source bucket, rule and destination, already in the order shown:
  // grouped by account) and their cells (the worst status per check, as a
  // digit per column).
  function buildModel(data, meta) {
    var cols = meta.checks;
    var ncols = cols.length;
    var colOf = new Map();
    cols.forEach(function (c, i) { colOf.set(c.reason, i); });
    var accounts = meta.accounts.map(function (a) {
      return { id: a.id, status: a.status || 'ok', error: a.error || '', rows: 0 };
    });
    var rows = meta.rows;
    var cells = new Uint8Array(Math.max(1, rows.length * ncols));
    for (var r = 0; r < rows.length; r++) {
      var row = rows[r];
      row.search = (row.bucket + '\n' + row.rule).toLowerCase();
      accounts[row.account].rows++;
      for (var c = 0; c < ncols; c++) cells[r * ncols + c] = row.cells.charCodeAt(c) - 48;
    }

    var groups = meta.groups.map(function (g) {
      return { name: g, cols: cols.map(function (c, i) { return c.group === g ? i : -1; }).filter(function (i) { return i >= 0; }) };
    }).filter(function (g) { return g.cols.length > 0; });

    return {
      doc: data.document, findings: findingsLoader(data), cols: cols, ncols: ncols, colOf: colOf,
      groups: groups, accounts: accounts, rows: rows, cells: cells
    };
  }

  // findingsLoader returns a function that resolves to the findings with
  // indexes first to end - 1, in order. The data block
  // carries the findings as gzip-compressed JSON arrays, perChunk findings
  // each; a chunk is decoded once, when a cell first needs it.
  function findingsLoader(data) {
    var chunks = [];
    function chunk(k) {
      if (!chunks[k]) {
        var bin = atob(data.chunks[k]);
        var bytes = new Uint8Array(bin.length);
        for (var i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
        var text = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
        chunks[k] = new Response(text).text().then(JSON.parse);
      }
      return chunks[k];
    }
    return function (first, end) {
      var from = Math.floor(first / data.perChunk);
      var wanted = [];
      for (var k = from; k * data.perChunk < end; k++) wanted.push(chunk(k));
      return Promise.all(wanted).then(function (lists) {
        var out = [];
        lists.forEach(function (list, j) {
          var base = (from + j) * data.perChunk;
          list.forEach(function (f, i) { if (base + i >= first && base + i < end) out.push(f); });
        });
        return out;
      });
    };
  }

  // The filter state, as the controls and the URL fragment hold it.
  function defaultFilters() {
    return { status: '', account: '', check: '', q: '', notpass: true };
  }

  function filtersFromHash(model) {
    var f = defaultFilters();
    var p = new URLSearchParams(location.hash.replace(/^#/, ''));
    var status = p.get('status') || '';
    if (CODE[status]) f.status = status;
    var account = p.get('account');
    if (account !== null && model.accounts.some(function (a) { return a.id === account; })) f.account = account;
    var check = p.get('check') || '';
    if (checkColumns(model, check)) f.check = check;
    f.q = p.get('q') || '';
    f.notpass = p.get('notpass') !== '0';
    return f;
  }

  function hashOf(f) {
    var p = new URLSearchParams();
    if (f.status) p.set('status', f.status);
    if (f.account) p.set('account', f.account);
    if (f.check) p.set('check', f.check);
    if (f.q) p.set('q', f.q);
    if (!f.notpass) p.set('notpass', '0');
    var s = p.toString();
    return s ? '#' + s : '';
  }

  // checkColumns returns the columns a check filter shows: every column for
  // '', a group's for 'group:NAME', one check's for its reason; null for a
  // value that names nothing.
  function checkColumns(model, check) {
    if (check === '') return model.cols.map(function (_, i) { return i; });
    if (check.indexOf('group:') === 0) {
      var name = check.slice(6);
      var g = model.groups.filter(function (g) { return g.name === name; })[0];
      return g ? g.cols.slice() : null;
    }
    var c = model.colOf.get(check);
    return c === undefined ? null : [c];
  }

  // applyFilters lists what the matrix shows: items are row indexes, and
  // -(a + 1) for the header of account a before its first shown row.
  function applyFilters(model, f) {
    var cols = checkColumns(model, f.check);
    var want = f.status ? CODE[f.status] : 0;
    var q = f.q.trim().toLowerCase();
    var accountIndex = -1;
    if (f.account) model.accounts.forEach(function (a, i) { if (a.id === f.account) accountIndex = i; });
    var items = [];
    var rowPos = new Int32Array(model.rows.length).fill(-1);
    var lastAccount = -1;
    var perAccount = model.accounts.map(function () { return 0; });
    var shown = 0;
    var ncols = model.ncols;
    var cells = model.cells;
    for (var r = 0; r < model.rows.length; r++) {
      var row = model.rows[r];
      if (accountIndex >= 0 && row.account !== accountIndex) continue;
      if (q && row.search.indexOf(q) < 0) continue;
      var hasStatus = want === 0;
      var hasProblem = !f.notpass;
      for (var j = 0; j < cols.length && !(hasStatus && hasProblem); j++) {
        var code = cells[r * ncols + cols[j]];
        if (code === want) hasStatus = true;
        if (code >= 1 && code <= 3) hasProblem = true;
      }
      if (!hasStatus || !hasProblem) continue;
      if (row.account !== lastAccount) {
        items.push(-(row.account + 1));
        lastAccount = row.account;
      }
      perAccount[row.account]++;
      rowPos[r] = items.length;
      items.push(r);
      shown++;
    }
    return { cols: cols, items: items, rowPos: rowPos, shown: shown, perAccount: perAccount };
  }

  // start builds the page. It leaves User Timing marks, which the
  // benchmark reads: replcheck-start once the document is loaded,
  // replcheck-parsed once the data is, and replcheck-interactive once the
  // matrix is drawn and the controls listen.
  function start() {
    performance.mark('replcheck-start');
    var data = JSON.parse(byId('replcheck-report').textContent);
    var meta = JSON.parse(byId('replcheck-meta').textContent);
    performance.mark('replcheck-parsed');
    var model = buildModel(data, meta);

    var matrix = byId('matrix');
    var head = byId('matrix-head');
    var body = byId('matrix-body');
    var panel = byId('panel');
    var controls = {
      status: byId('f-status'), notpass: byId('f-notpass'), account: byId('f-account'),
      check: byId('f-check'), q: byId('f-q')
    };

    var state = {
      filters: filtersFromHash(model),
      view: null,
      // The active cell (the one Tab reaches): a row index and a position
      // among the shown columns.
      activeRow: -1,
      activeCol: 0,
      // rendered names the window of rows drawn, so that a scroll within it
      // draws nothing.
      rendered: '',
      // head names the columns whose headers are drawn.
      head: '',
      printing: false,
      // panel counts the panels asked for, so that findings decoded for a
      // cell that is no longer wanted are dropped.
      panel: 0
    };

    fillControls();
    setControls(state.filters);
    refresh(false);

    function fillControls() {
      model.accounts.forEach(function (a) {
        var label = (a.id || '(unknown account)') + (a.status === 'ok' ? '' : ' (could not be read)');
        controls.account.add(new Option(label, a.id));
      });
      model.groups.forEach(function (g) {
        var og = document.createElement('optgroup');
        og.label = g.name;
        og.appendChild(new Option('all ' + g.name + ' checks', 'group:' + g.name));
        g.cols.forEach(function (c) { og.appendChild(new Option(model.cols[c].reason, model.cols[c].reason)); });
        controls.check.appendChild(og);
      });
    }

    function setControls(f) {
      controls.status.value = f.status;
      controls.notpass.checked = f.notpass;
      controls.account.value = f.account;
      controls.check.value = f.check;
      controls.q.value = f.q;
    }

    function readControls() {
      return {
        status: controls.status.value, notpass: controls.notpass.checked, account: controls.account.value,
        check: controls.check.value, q: controls.q.value
      };
    }

    function writeHash() {
      var h = hashOf(state.filters);
      var url = location.href.replace(/#.*$/, '') + h;
      if (url === location.href) return;
      try {
        history.replaceState(null, '', h || location.pathname + location.search);
      } catch (e) {
        location.hash = h;
      }
    }

    // refresh re-applies the filters and redraws everything.
    function refresh(fromUser) {
      state.view = applyFilters(model, state.filters);
      var v = state.view;
      if (v.items.length === 0 || v.rowPos[state.activeRow] === undefined || v.rowPos[state.activeRow] < 0) {
        state.activeRow = firstRow(v);
      }
      state.activeCol = Math.min(state.activeCol, Math.max(0, v.cols.length - 1));
      matrix.style.setProperty('--ncols', String(Math.max(1, v.cols.length)));
      matrix.setAttribute('aria-rowcount', String(v.items.length + HEADER_ROWS));
      matrix.setAttribute('aria-colcount', String(v.cols.length + 1));
      body.style.height = (v.items.length * ROW_HEIGHT) + 'px';
      byId('empty').hidden = v.shown > 0;
      byId('shown').textContent = 'showing ' + v.shown + ' of ' + model.rows.length + ' rows';
      renderHead();
      state.rendered = '';
      renderRows();
      if (fromUser) writeHash();
    }

    function firstRow(v) {
      for (var i = 0; i < v.items.length; i++) if (v.items[i] >= 0) return v.items[i];
      return -1;
    }

    // renderHead draws the column headers, when the columns change.
    function renderHead() {
      var cols = state.view.cols;
      if (cols.join() === state.head) return;
      state.head = cols.join();
      var groups = el('div', 'hrow groups');
      groups.setAttribute('role', 'row');
      groups.setAttribute('aria-rowindex', '1');
      var corner = el('div', 'corner', '');
      corner.setAttribute('role', 'columnheader');
      groups.appendChild(corner);
      var checks = el('div', 'hrow checks');
      checks.setAttribute('role', 'row');
      checks.setAttribute('aria-rowindex', '2');
      var label = el('div', 'corner', 'source bucket › rule › destination');
      label.setAttribute('role', 'columnheader');
      checks.appendChild(label);
      var i = 0;
      while (i < cols.length) {
        var g = model.cols[cols[i]].group;
        var span = 0;
        while (i + span < cols.length && model.cols[cols[i + span]].group === g) span++;
        var gh = el('div', 'group', g);
        gh.setAttribute('role', 'columnheader');
        gh.title = g;
        gh.style.gridColumn = 'span ' + span;
        groups.appendChild(gh);
        for (var k = 0; k < span; k++) {
          var c = model.cols[cols[i + k]];
          var ch = el('div', 'colhead' + (k === 0 ? ' first' : ''), c.reason);
          ch.setAttribute('role', 'columnheader');
          ch.title = c.reason + ': ' + c.title;
          checks.appendChild(ch);
        }
        i += span;
      }
      head.replaceChildren(groups, checks);
    }

    // renderRows draws the rows in view; when printing, all of them.
    function renderRows() {
      var v = state.view;
      var first = 0;
      var last = v.items.length;
      if (!state.printing) {
        var top = matrix.scrollTop - body.offsetTop;
        first = Math.max(0, Math.floor(top / ROW_HEIGHT) - OVERSCAN);
        last = Math.min(v.items.length, Math.ceil((top + matrix.clientHeight) / ROW_HEIGHT) + OVERSCAN);
      }
      var key = first + ':' + last + ':' + state.printing;
      if (key === state.rendered) return;
      state.rendered = key;
      // The active cell must be drawn, or the grid would drop out of the
      // tab order: when scrolling left it behind, the first row in view
      // takes over.
      var pos = v.rowPos[state.activeRow];
      if (!(pos >= first && pos < last)) {
        for (var q = Math.min(first + OVERSCAN, last - 1); q >= 0 && q < last; q++) {
          if (v.items[q] >= 0) { state.activeRow = v.items[q]; break; }
        }
      }
      var hadFocus = body.contains(document.activeElement);
      var frag = document.createDocumentFragment();
      for (var p = first; p < last; p++) frag.appendChild(rowElement(v.items[p], p));
      body.replaceChildren(frag);
      if (hadFocus) focusActive(true);
    }

    function rowElement(item, pos) {
      var row = el('div', 'row');
      row.setAttribute('role', 'row');
      row.setAttribute('aria-rowindex', String(pos + HEADER_ROWS + 1));
      if (!state.printing) row.style.transform = 'translateY(' + (pos * ROW_HEIGHT) + 'px)';
      if (item < 0) {
        var a = model.accounts[-item - 1];
        row.className = 'row acct';
        var h = el('div', 'acct-label');
        h.setAttribute('role', 'rowheader');
        h.setAttribute('aria-colspan', String(state.view.cols.length + 1));
        h.appendChild(el('span', 'acct-id', 'account ' + (a.id || '(unknown account)')));
        var shown = state.view.perAccount[-item - 1];
        h.appendChild(el('span', 'acct-rows', shown === a.rows ? a.rows + (a.rows === 1 ? ' row' : ' rows') : shown + ' of ' + a.rows + ' rows'));
        if (a.status !== 'ok') h.appendChild(el('span', 'error', 'could not be read: ' + a.error));
        row.appendChild(h);
        return row;
      }
      var r = model.rows[item];
      row.dataset.row = String(item);
      var label = el('div', 'label');
      label.setAttribute('role', 'rowheader');
      label.appendChild(el('span', 'bucket', r.bucket || '(account)'));
      label.appendChild(el('span', 'arrow', '›'));
      label.appendChild(el('span', 'rule', r.rule || 'no replication rule'));
      if (r.destination) {
        label.appendChild(el('span', 'arrow', '›'));
        label.appendChild(el('span', 'dest', shortARN(r.destination)));
      }
      label.title = [r.bucket, r.rule, r.destination].filter(Boolean).join(' › ');
      row.appendChild(label);
      var cols = state.view.cols;
      var base = item * model.ncols;
      for (var j = 0; j < cols.length; j++) {
        var code = model.cells[base + cols[j]];
        var c = model.cols[cols[j]];
        var first = j === 0 || model.cols[cols[j - 1]].group !== c.group;
        var cell = el('div', 'cell st-' + statusName(code) + (first ? ' gstart' : ''), SYMBOL[code]);
        cell.setAttribute('role', 'gridcell');
        cell.dataset.col = String(j);
        cell.dataset.reason = c.reason;
        cell.dataset.status = statusName(code);
        cell.tabIndex = item === state.activeRow && j === state.activeCol ? 0 : -1;
        cell.setAttribute('aria-label', c.reason + ': ' + (code ? statusName(code) : 'no finding'));
        row.appendChild(cell);
      }
      return row;
    }

    function activeCell() {
      var row = body.querySelector('.row[data-row="' + state.activeRow + '"]');
      return row ? row.querySelector('.cell[data-col="' + state.activeCol + '"]') : null;
    }

    // markActive puts the active cell, and only it, in the tab order.
    function markActive() {
      var old = body.querySelector('.cell[tabindex="0"]');
      var cell = activeCell();
      if (old && old !== cell) old.tabIndex = -1;
      if (cell) cell.tabIndex = 0;
    }

    function focusActive(keepScroll) {
      var cell = activeCell();
      if (cell) cell.focus({ preventScroll: !!keepScroll });
    }

    // moveTo makes a cell active, scrolls it into view and focuses it.
    function moveTo(rowIndex, col) {
      var v = state.view;
      if (rowIndex < 0 || v.cols.length === 0) return;
      state.activeRow = rowIndex;
      state.activeCol = Math.max(0, Math.min(col, v.cols.length - 1));
      var y = v.rowPos[rowIndex] * ROW_HEIGHT + body.offsetTop;
      var headH = body.offsetTop;
      if (y - headH < matrix.scrollTop) matrix.scrollTop = y - headH;
      else if (y + ROW_HEIGHT > matrix.scrollTop + matrix.clientHeight) matrix.scrollTop = y + ROW_HEIGHT - matrix.clientHeight;
      renderRows();
      markActive();
      focusActive();
    }

    // rowAt steps from the active row by delta shown rows, skipping
    // account headers and stopping at the ends.
    function rowAt(delta) {
      var v = state.view;
      var pos = v.rowPos[state.activeRow];
      var step = delta < 0 ? -1 : 1;
      var target = state.activeRow;
      for (var moved = 0, p = pos + step; p >= 0 && p < v.items.length; p += step) {
        if (v.items[p] < 0) continue;
        target = v.items[p];
        if (++moved === Math.abs(delta)) break;
      }
      return target;
    }

    function onKey(e) {
      if (!e.target.classList || !e.target.classList.contains('cell')) return;
      var page = Math.max(1, Math.floor(matrix.clientHeight / ROW_HEIGHT) - 3);
      var last = state.view.cols.length - 1;
      switch (e.key) {
        case 'ArrowRight': moveTo(state.activeRow, state.activeCol + 1); break;
        case 'ArrowLeft': moveTo(state.activeRow, state.activeCol - 1); break;
        case 'ArrowDown': moveTo(rowAt(1), state.activeCol); break;
        case 'ArrowUp': moveTo(rowAt(-1), state.activeCol); break;
        case 'PageDown': moveTo(rowAt(page), state.activeCol); break;
        case 'PageUp': moveTo(rowAt(-page), state.activeCol); break;
        case 'Home': moveTo(e.ctrlKey ? firstRow(state.view) : state.activeRow, 0); break;
        case 'End': moveTo(e.ctrlKey ? rowAt(Infinity) : state.activeRow, last); break;
        case 'Enter':
        case ' ':
          openPanel(state.activeRow, state.activeCol);
          break;
        default:
          return;
      }
      e.preventDefault();
    }

    function onClick(e) {
      var cell = e.target.closest ? e.target.closest('.cell') : null;
      if (!cell || !body.contains(cell)) return;
      var row = cell.closest('.row');
      state.activeRow = Number(row.dataset.row);
      state.activeCol = Number(cell.dataset.col);
      markActive();
      focusActive();
      openPanel(state.activeRow, state.activeCol);
    }

    // openPanel shows the findings of a cell, once its chunks are decoded.
    function openPanel(rowIndex, colPos) {
      var col = state.view.cols[colPos];
      var code = model.cells[rowIndex * model.ncols + col];
      if (!code) return;
      var r = model.rows[rowIndex];
      var check = model.cols[col];
      var a = model.accounts[r.account];
      var asked = ++state.panel;
      model.findings(r.first, r.end).then(function (found) {
        if (asked !== state.panel) return;
        var findings = found.filter(function (f) { return f.reason === check.reason && inRow(f, r, a); });
        showPanel(r, a, check, code, findings);
      }).catch(function (e) {
        if (asked !== state.panel) return;
        var box = el('p', 'failure', 'The findings of this cell could not be read: ' + e.message);
        showPanel(r, a, check, code, []);
        byId('panel-body').prepend(box);
      });
    }

    // inRow says whether finding f belongs to row r of account a.
    function inRow(f, r, a) {
      var src = f.source || model.doc.source || { bucket: '', account: '' };
      return src.bucket === r.bucket && src.account === a.id && f.rule === r.rule && f.destination === r.destination;
    }

    function showPanel(r, a, check, code, findings) {
      byId('panel-title').textContent = check.reason + (check.title !== check.reason ? ': ' + check.title : '');
      var content = document.createDocumentFragment();
      var where = el('dl', 'where');
      [['account', a.id || '(unknown account)'], ['bucket', r.bucket], ['region', r.region], ['rule', r.rule || 'no replication rule'],
        ['destination', r.destination], ['check group', check.group], ['status', statusName(code)]].forEach(function (kv) {
        if (!kv[1]) return;
        where.appendChild(el('dt', '', kv[0]));
        where.appendChild(el('dd', '', kv[1]));
      });
      content.appendChild(where);
      content.appendChild(el('h3', '', findings.length === 1 ? 'Finding' : findings.length + ' findings'));
      findings.forEach(function (f) { content.appendChild(findingElement(f)); });
      content.appendChild(explainElement(check));
      byId('panel-body').replaceChildren(content);
      panel.hidden = false;
      byId('panel-title').focus();
    }

    function findingElement(f) {
      var box = el('section', 'finding st-' + f.status);
      var head = el('p', 'message');
      head.appendChild(el('span', 'badge st-' + f.status, f.status));
      head.appendChild(document.createTextNode(f.message));
      box.appendChild(head);
      if (f.aliases && f.aliases.length) box.appendChild(el('p', 'aliases', 'also reported as ' + f.aliases.join(', ')));
      if (f.address) {
        box.appendChild(el('h4', '', 'address'));
        box.appendChild(el('pre', 'address', f.address));
      }
      if (f.evidence && f.evidence.length) {
        box.appendChild(el('h4', '', 'evidence'));
        var ul = el('ul', 'evidence');
        f.evidence.forEach(function (e) { ul.appendChild(el('li', '', e)); });
        box.appendChild(ul);
      }
      if (f.remediation) {
        box.appendChild(el('h4', '', 'fix'));
        box.appendChild(el('pre', 'fix', f.remediation));
      }
      return box;
    }

    function explainElement(c) {
      var box = el('section', 'explain');
      box.appendChild(el('h3', '', 'About ' + c.reason));
      if (c.aliases && c.aliases.length) box.appendChild(el('p', '', 'Also reported as ' + c.aliases.join(', ') + '.'));
      [['What S3 does', c.why], ['How replcheck predicts it', c.predicts], ['How to fix it', c.fix]].forEach(function (s) {
        if (!s[1]) return;
        box.appendChild(el('h4', '', s[0]));
        box.appendChild(el('p', '', s[1]));
      });
      if (/^https:\/\//.test(c.docURL || '')) {
        box.appendChild(el('h4', '', 'AWS documentation'));
        var link = el('a', 'doc', c.docURL);
        link.href = c.docURL;
        link.rel = 'noopener noreferrer';
        link.target = '_blank';
        var p = el('p');
        p.appendChild(link);
        box.appendChild(p);
      }
      return box;
    }

    function closePanel() {
      state.panel++;
      if (panel.hidden) return;
      panel.hidden = true;
      focusActive();
    }

    function onFilter() {
      state.filters = readControls();
      refresh(true);
    }

    controls.status.addEventListener('change', onFilter);
    controls.notpass.addEventListener('change', onFilter);
    controls.account.addEventListener('change', onFilter);
    controls.check.addEventListener('change', onFilter);
    controls.q.addEventListener('input', onFilter);
    byId('f-reset').addEventListener('click', function () {
      state.filters = defaultFilters();
      setControls(state.filters);
      refresh(true);
    });
    window.addEventListener('hashchange', function () {
      state.filters = filtersFromHash(model);
      setControls(state.filters);
      refresh(false);
    });
    var frame = 0;
    matrix.addEventListener('scroll', function () {
      if (frame) return;
      frame = requestAnimationFrame(function () { frame = 0; renderRows(); });
    }, { passive: true });
    window.addEventListener('resize', function () { state.rendered = ''; renderRows(); });
    body.addEventListener('keydown', onKey);
    body.addEventListener('click', onClick);
    byId('panel-close').addEventListener('click', closePanel);
    document.addEventListener('keydown', function (e) {
      if (e.key === 'Escape' && !panel.hidden) {
        e.preventDefault();
        closePanel();
      }
    });
    window.addEventListener('beforeprint', function () { state.printing = true; state.rendered = ''; renderRows(); });
    window.addEventListener('afterprint', function () { state.printing = false; state.rendered = ''; renderRows(); });

    performance.mark('replcheck-interactive');
  }

  try {
    start();
  } catch (e) {
    var failure = byId('failure');
    failure.textContent = 'This report could not be shown: ' + e.message;
    failure.hidden = false;
    throw e;
  }
}());
