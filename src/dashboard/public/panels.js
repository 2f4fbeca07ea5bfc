// The side panels and tables: services and instances, the searchable metric list, the drops
// banner and the pipeline health table. Text goes in through textContent only: metric names,
// labels and resource attributes come from any sender.
'use strict';
(() => {
  const omp = (window.omp = window.omp || {});
  const $ = (id) => document.getElementById(id);
  let state = null;

  omp.renderOverview = (pageState) => {
    state = pageState;
    renderOverview();
  };
  omp.renderMetrics = (pageState) => {
    state = pageState;
    if (state.overview) renderMetrics(state.overview.metrics);
  };

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
})();
