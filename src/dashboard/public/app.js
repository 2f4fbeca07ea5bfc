// The dashboard page: one EventSource (/api/events) brings the overview and the new points of
// the metric on show; this script keeps them in window.dashboardState (the page's data layer)
// and hands drawing to chart.js, heatmap.js and panels.js. No framework, no build step: the
// package serves these files as they are.
'use strict';
(() => {
  /** The page's data layer, read by the browser test: what arrived and what was last drawn. */
  const state = (window.dashboardState = { overview: null, metric: null, drawn: null, draws: 0, pick: null, lines: null });
  const omp = window.omp;
  const $ = (id) => document.getElementById(id);
  let source = null;
  let drawQueued = false;

  function connect(name) {
    if (source) source.close();
    state.metric = name ? { name, kind: null, columns: [], series: new Map(), heatmap: null, missing: false } : null;
    state.drawn = null;
    state.pick = null;
    chart.destroy();
    $('metric-title').textContent = name || 'Pick a metric';
    $('metric-desc').textContent = '';
    $('metric-kind').textContent = '';
    $('heatmap-wrap').hidden = true;
    $('series-pick').hidden = true;
    source = new EventSource('/api/events' + (name ? '?metric=' + encodeURIComponent(name) : ''));
    source.addEventListener('overview', (e) => {
      state.overview = JSON.parse(e.data);
      omp.renderOverview(state);
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
      chart.draw();
    });
  }
  const chart = omp.createChart(state, queueDraw, windowMillis);


  $('search').addEventListener('input', () => omp.renderMetrics(state));
  window.addEventListener('hashchange', () => {
    connect(decodeURIComponent(location.hash.slice(1)) || undefined);
    omp.renderMetrics(state);
  });
  // A new width means a new chart: uPlot sizes its canvas at creation.
  window.addEventListener('resize', () => {
    chart.destroy();
    queueDraw();
  });
  connect(decodeURIComponent(location.hash.slice(1)) || undefined);
})();
