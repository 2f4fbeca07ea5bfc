// The dashboard page: one EventSource (/api/events) brings the overview and the new points of
// the metric on show; this script keeps them in window.dashboardState and draws with uPlot.
// No framework, no build step: the package serves this file as it is.
'use strict';
(() => {
  /** The page's data layer, read by the browser test: what arrived and what was last drawn. */
  const state = (window.dashboardState = { overview: null, metric: null, drawn: null, draws: 0, pick: null });
  const $ = (id) => document.getElementById(id);
  let source = null;
  let plot = null;
  let plotShape = '';
  let drawQueued = false;

  function connect(name) {
    if (source) source.close();
    state.metric = name ? { name, kind: null, columns: [], series: new Map(), heatmap: null, missing: false } : null;
    state.drawn = null;
    state.pick = null;
    destroyPlot();
    $('metric-title').textContent = name || 'Pick a metric';
    $('metric-desc').textContent = '';
    $('metric-kind').textContent = '';
    $('heatmap-wrap').hidden = true;
    $('series-pick').hidden = true;
    source = new EventSource('/api/events' + (name ? '?metric=' + encodeURIComponent(name) : ''));
    source.addEventListener('overview', (e) => {
      state.overview = JSON.parse(e.data);
      renderOverview();
    });
    source.addEventListener('metric', (e) => {
      applyMetric(JSON.parse(e.data));
      queueDraw();
    });
    source.onopen = () => setStatus('live', true);
    source.onerror = () => setStatus('reconnecting…', false);
  }

  function setStatus(text, live) {
    $('status').textContent = text;
    $('status').classList.toggle('live', live);
  }

  function windowMillis() {
    return state.overview ? state.overview.limits.windowMillis : 15 * 60000;
  }

  function applyMetric(msg) {
    const m = state.metric;
    if (!m || msg.name !== m.name) return;
    m.missing = !!msg.missing;
    if (msg.missing) return;
    if (msg.fresh) m.series.clear();
    m.kind = msg.kind;
    m.unit = msg.unit;
    m.description = msg.description;
    m.columns = msg.columns;
    m.heatmap = msg.heatmap || null;
    m.droppedSeries = msg.droppedSeries;
    const cutoff = Date.now() - windowMillis();
    for (const s of msg.series) {
      let cur = m.series.get(s.id);
      if (!cur) {
        cur = { id: s.id, label: s.label || String(s.id), t: [], v: msg.columns.map(() => []) };
        m.series.set(s.id, cur);
      }
      for (let i = 0; i < s.t.length; i++) {
        cur.t.push(s.t[i]);
        for (let c = 0; c < cur.v.length; c++) cur.v[c].push(s.v[c][i] === null ? null : s.v[c][i]);
      }
      let old = 0;
      while (old < cur.t.length && cur.t[old] < cutoff) old++;
      if (old) {
        cur.t.splice(0, old);
        for (const col of cur.v) col.splice(0, old);
      }
    }
    for (const id of msg.removed) m.series.delete(id);
  }

  function queueDraw() {
    if (drawQueued) return;
    drawQueued = true;
    requestAnimationFrame(() => {
      drawQueued = false;
      draw();
    });
  }

  function destroyPlot() {
    if (plot) plot.destroy();
    plot = null;
    plotShape = '';
  }

  const color = (i) => `hsl(${(i * 137.508) % 360} 65% 45%)`;

  // Sums and gauges: one line per series. Histograms and summaries: p50/p90/p99 of one series
  // (picked in the list beside the title), with the bucket heatmap of all series below.
  function draw() {
    const m = state.metric;
    if (!m || !m.kind) return;
    performance.mark('dashboard-draw-start');
    $('metric-kind').textContent = `${m.kind}${m.unit ? ' · ' + m.unit : ''} · ${m.series.size} series`;
    $('metric-desc').textContent = m.description || '';
    const all = [...m.series.values()];
    let lines;
    if (m.kind === 'sum' || m.kind === 'gauge') {
      lines = all.map((s) => ({ label: s.label, t: s.t, y: s.v[0], id: s.id }));
      $('series-pick').hidden = true;
    } else {
      const pick = renderPicker(all);
      const s = all.find((x) => x.id === pick);
      lines = s ? ['p50', 'p90', 'p99'].map((q, k) => ({ label: q, t: s.t, y: s.v[2 + k], id: q })) : [];
    }
    const tables = lines.filter((l) => l.t.length).map((l) => [l.t.map((t) => t / 1000), l.y]);
    const data = tables.length ? uPlot.join(tables) : [[]];
    const shape = `${m.name}|${m.kind}|${lines.map((l) => l.id).join(',')}`;
    if (shape !== plotShape || !plot) {
      destroyPlot();
      plotShape = shape;
      plot = new uPlot(plotOptions(m, lines.filter((l) => l.t.length)), data, $('chart'));
    } else plot.setData(data);
    if (m.heatmap && m.heatmap.t.length) drawHeatmap(m.heatmap);
    performance.mark('dashboard-draw-end');
    performance.measure('dashboard-draw', 'dashboard-draw-start', 'dashboard-draw-end');
    state.draws++;
    state.drawn = {
      metric: m.name,
      kind: m.kind,
      at: Date.now(),
      series: lines.map((l) => ({ id: l.id, label: l.label, lastTime: l.t[l.t.length - 1], last: l.y[l.y.length - 1], points: l.t.length })),
    };
  }

  function plotOptions(m, lines) {
    const many = lines.length > 12;
    return {
      width: Math.max(300, $('chart').clientWidth - 2),
      height: 380,
      legend: { show: !many },
      cursor: { points: { show: !many }, drag: { x: true, y: false } },
      scales: { x: { time: true } },
      axes: [{}, { label: m.unit || undefined, size: 70 }],
      series: [{}, ...lines.map((l, i) => ({ label: l.label, stroke: color(i), width: many ? 1 : 1.5, spanGaps: true, points: { show: false } }))],
    };
  }

  function renderPicker(all) {
    const sel = $('series-pick');
    if (!all.some((s) => s.id === state.pick)) state.pick = all.length ? all[0].id : null;
    const key = all.map((s) => s.id).join(',');
    if (sel.dataset.key !== key) {
      sel.dataset.key = key;
      sel.replaceChildren(...all.map((s) => new Option(s.label, String(s.id), false, s.id === state.pick)));
      sel.onchange = () => {
        state.pick = Number(sel.value);
        queueDraw();
      };
    }
    sel.hidden = all.length === 0;
    return state.pick;
  }

  function drawHeatmap(h) {
    $('heatmap-wrap').hidden = false;
    const canvas = $('heatmap');
    const width = (canvas.width = canvas.clientWidth || 900);
    const height = (canvas.height = 200);
    const ctx = canvas.getContext('2d');
    ctx.clearRect(0, 0, width, height);
    const rows = h.bounds.length + 1;
    const left = 70;
    const end = Date.now();
    const start = end - windowMillis();
    const colWidth = Math.max(1, ((width - left) * h.binMillis) / (end - start));
    let max = 0;
    for (const col of h.counts) for (const c of col) max = Math.max(max, c);
    const rowHeight = height / rows;
    ctx.font = '10px system-ui';
    ctx.fillStyle = '#5b6475';
    for (let r = 0; r < rows; r += Math.ceil(rows / 8)) ctx.fillText(r < h.bounds.length ? `≤ ${h.bounds[r]}` : `> ${h.bounds[rows - 2]}`, 2, height - r * rowHeight - 2);
    h.t.forEach((t, i) => {
      const x = left + ((t - start) / (end - start)) * (width - left);
      h.counts[i].forEach((c, r) => {
        if (!c) return;
        // Log scale, so a rare slow bucket still shows beside a busy fast one.
        const a = Math.log1p(c) / Math.log1p(max);
        ctx.fillStyle = `rgba(36, 84, 196, ${0.1 + 0.9 * a})`;
        ctx.fillRect(x, height - (r + 1) * rowHeight, colWidth - 1, rowHeight - 1);
      });
    });
  }

  function renderOverview() {
    const o = state.overview;
    $('series-count').textContent = `${o.seriesCount} series · ${o.metrics.length} metrics`;
    renderDrops(o);
    renderServices(o.services);
    renderMetrics(o.metrics);
    renderHealth(o.health);
  }

  function renderDrops(o) {
    const d = o.dropped;
    const parts = [];
    if (d.points) parts.push(`${d.points} points (bound: ${o.limits.maxPointsPerSeries} per series)`);
    if (d.seriesPerMetric) parts.push(`${d.seriesPerMetric} series (bound: ${o.limits.maxSeriesPerMetric} per metric)`);
    if (d.series) parts.push(`${d.series} series (bound: ${o.limits.maxSeries} in all)`);
    $('drops').hidden = parts.length === 0;
    $('drops').textContent = parts.length ? `Dropped the oldest to stay within memory bounds: ${parts.join('; ')}.` : '';
  }

  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function renderServices(services) {
    const list = $('service-list');
    if (!services.length) return;
    const now = state.overview.now;
    list.replaceChildren(...services.map((s) => {
      const li = el('li', '', '');
      li.append(el('strong', '', s.name), el('span', 'meta', ` · ${s.instances.length} instance${s.instances.length === 1 ? '' : 's'}`));
      for (const i of s.instances) {
        const d = i.details;
        const what = [d['telemetry.sdk.language'], d['process.runtime.version'], d['host.name']].filter(Boolean).join(' · ');
        li.append(el('div', 'instance', `${i.instance}${what ? ' — ' + what : ''} — seen ${Math.max(0, Math.round((now - i.lastSeen) / 1000))} s ago`));
      }
      return li;
    }));
  }

  function renderMetrics(metrics) {
    const q = $('search').value.trim().toLowerCase();
    const shown = metrics.filter((m) => !q || m.name.toLowerCase().includes(q) || m.description.toLowerCase().includes(q) || m.unit.toLowerCase().includes(q));
    const key = JSON.stringify([q, state.metric && state.metric.name, shown.map((m) => [m.name, m.series, m.unit])]);
    const list = $('metric-list');
    if (list.dataset.key === key) return;
    list.dataset.key = key;
    list.replaceChildren(...shown.map((m) => {
      const li = el('li', state.metric && state.metric.name === m.name ? 'selected' : '');
      li.dataset.metric = m.name;
      li.title = m.description;
      li.append(el('div', 'name', m.name), el('div', 'meta', `${m.kind}${m.unit ? ' · ' + m.unit : ''} · ${m.series} series${m.description ? ' · ' + m.description : ''}`));
      li.onclick = () => {
        location.hash = encodeURIComponent(m.name);
      };
      return li;
    }));
  }

  function renderHealth(rows) {
    $('health').hidden = rows.length === 0;
    const fmt = (v) => (v === undefined ? '–' : String(Math.round(v * 1000) / 1000));
    $('health-rows').replaceChildren(...rows.map((h) => {
      const tr = el('tr');
      const cells = [h.service, h.instance, fmt(h.exported), fmt(h.dropped), fmt(h.rejected), fmt(h.retries),
        h.queueSize === undefined ? '–' : `${h.queueSize} / ${h.queueCapacity ?? '?'}`,
        h.exportP99Seconds === undefined || Number.isNaN(h.exportP99Seconds) ? '–' : `${Math.round(h.exportP99Seconds * 1000)} ms`];
      cells.forEach((c, i) => tr.append(el('td', (i === 3 && h.dropped) || (i === 4 && h.rejected) ? 'bad' : '', c)));
      return tr;
    }));
  }

  $('search').addEventListener('input', () => state.overview && renderMetrics(state.overview.metrics));
  window.addEventListener('hashchange', () => {
    connect(decodeURIComponent(location.hash.slice(1)) || undefined);
    if (state.overview) renderMetrics(state.overview.metrics);
  });
  window.addEventListener('resize', () => plot && plot.setSize({ width: Math.max(300, $('chart').clientWidth - 2), height: 380 }));
  connect(decodeURIComponent(location.hash.slice(1)) || undefined);
})();
