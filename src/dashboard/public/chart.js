// The chart of the metric on show, drawn with uPlot (served by the dashboard from its npm
// package). Sums and gauges: a line per series; histograms and summaries: p50/p90/p99 of one
// picked series. Past MANY_SERIES lines the lines are stroked in batched paths (drawMany).
'use strict';
(() => {
  const omp = (window.omp = window.omp || {});
  const $ = (id) => document.getElementById(id);

  /** A chart bound to the page state; `requestDraw` asks for a draw on the next frame. */
  omp.createChart = (state, requestDraw, windowMillis) => {
    let plot = null;
    let plotShape = '';
    let drawPending = false;

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
      if (m.heatmap && m.heatmap.t.length) omp.drawHeatmap(m.heatmap, windowMillis());
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
          requestDraw();
        };
      }
      sel.hidden = all.length === 0;
      return state.pick;
    }

    return { draw, destroy: destroyPlot };
  };
})();
