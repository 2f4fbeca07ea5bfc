// The dashboard page: one EventSource (/api/events) brings the overview and the new points of
// the metric on show; this script keeps them in window.dashboardState and draws with uPlot.
// No framework, no build step: the package serves this file as it is.
'use strict';
(() => {
  /** The page's data layer, read by the browser test: what arrived and what was last drawn. */
  const state = (window.dashboardState = { overview: null, metric: null, drawn: null, draws: 0, pick: null, lines: null });
  const $ = (id) => document.getElementById(id);
  let source = null;
  let plot = null;
  let plotShape = '';
  let drawQueued = false;
  let drawPending = false;

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
    m.seriesTotal = msg.seriesTotal;
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
    drawPending = true;
    const shown = m.seriesTotal > m.series.size ? `${m.series.size} of ${m.seriesTotal} series shown` : `${m.series.size} series`;
    $('metric-kind').textContent = `${m.kind}${m.unit ? ' · ' + m.unit : ''} · ${shown}`;
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
    const drawnLines = lines.filter((l) => l.t.length);
    const tables = drawnLines.map((l) => [l.t.map((t) => t / 1000), l.y]);
    const data = tables.length ? uPlot.join(tables) : [[]];
    const many = drawnLines.length > MANY_SERIES;
    // Past MANY_SERIES lines uPlot gets only the envelope (for its scales and axes) and the
    // lines are stroked by drawMany in a few batched paths: one stroke per series costs ~50 µs
    // each in software rendering, too much for a frame at 2,000 series.
    state.lines = data;
    const plotData = many ? envelope(data) : data;
    const shape = `${m.name}|${m.kind}|${many ? 'many' : drawnLines.map((l) => l.id).join(',')}`;
    if (shape !== plotShape || !plot) {
      destroyPlot();
      plotShape = shape;
      plot = new uPlot(plotOptions(m, drawnLines, many), plotData, $('chart'));
    } else plot.setData(plotData);
    if (m.heatmap && m.heatmap.t.length) drawHeatmap(m.heatmap);
    state.draws++;
    // What the chart holds now, read back from the data it painted: the last point of each line.
    state.drawn = {
      metric: m.name,
      kind: m.kind,
      at: Date.now(),
      series: drawnLines.map((l, i) => {
        const ys = data[i + 1] || [];
        let k = ys.length - 1;
        while (k >= 0 && ys[k] == null) k--;
        return { id: l.id, label: l.label, lastTime: k >= 0 ? data[0][k] * 1000 : undefined, last: k >= 0 ? ys[k] : undefined, points: l.t.length };
      }),
    };
  }

  const MANY_SERIES = 50;
  const MANY_COLORS = 8;

  function envelope(data) {
    const lo = new Array(data[0].length).fill(null);
    const hi = new Array(data[0].length).fill(null);
    for (let i = 1; i < data.length; i++) {
      const ys = data[i];
      for (let k = 0; k < ys.length; k++) {
        const y = ys[k];
        if (y == null) continue;
        if (lo[k] === null || y < lo[k]) lo[k] = y;
        if (hi[k] === null || y > hi[k]) hi[k] = y;
      }
    }
    return [data[0], lo, hi];
  }

  function drawMany(u) {
    const data = state.lines;
    if (!data || data.length < 2) return;
    const { left, top, width, height } = u.bbox;
    const xs = u.scales.x;
    const ys = u.scales.y;
    const sx = width / (xs.max - xs.min);
    const sy = height / (ys.max - ys.min || 1);
    const xpx = data[0].map((x) => left + (x - xs.min) * sx);
    const ctx = u.ctx;
    ctx.save();
    ctx.beginPath();
    ctx.rect(left, top, width, height);
    ctx.clip();
    ctx.lineWidth = 1;
    for (let g = 0; g < MANY_COLORS; g++) {
      const path = new Path2D();
      for (let i = 1 + g; i < data.length; i += MANY_COLORS) {
        const col = data[i];
        let pen = false;
        for (let k = 0; k < col.length; k++) {
          const y = col[k];
          if (y == null) continue;
          const py = top + height - (y - ys.min) * sy;
          if (pen) path.lineTo(xpx[k], py);
          else { path.moveTo(xpx[k], py); pen = true; }
        }
      }
      ctx.strokeStyle = color(g);
      ctx.stroke(path);
    }
    ctx.restore();
  }

  function plotOptions(m, lines, many) {
    const legend = !many && lines.length <= 12;
    const series = many
      ? [{ label: 'lowest', stroke: 'rgba(0,0,0,0.25)', width: 1, dash: [4, 4] }, { label: 'highest', stroke: 'rgba(0,0,0,0.25)', width: 1, dash: [4, 4] }]
      : lines.map((l, i) => ({ label: l.label, stroke: color(i), width: 1.5, spanGaps: true }));
    return {
      width: Math.max(300, $('chart').clientWidth - 2),
      height: 380,
      legend: { show: legend },
      cursor: { points: { show: legend }, drag: { x: true, y: false } },
      scales: { x: { time: true } },
      axes: [{}, { label: m.unit || undefined, size: 70 }],
      series: [{}, ...series.map((x) => ({ spanGaps: true, points: { show: false }, ...x }))],
      // uPlot paints after our frame callback returns; the measure ends when it has painted.
      hooks: {
        draw: [(u) => {
          if (many) drawMany(u);
          // Only a paint that one of our draws asked for closes its measure.
          if (!drawPending) return;
          drawPending = false;
          performance.measure('dashboard-draw', 'dashboard-draw-start');
        }],
      },
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
