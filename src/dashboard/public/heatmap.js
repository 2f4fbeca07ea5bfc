// The bucket heatmap of a histogram metric: time bins across, buckets up, darker = more.
'use strict';
(() => {
  const omp = (window.omp = window.omp || {});
  const $ = (id) => document.getElementById(id);

  omp.drawHeatmap = (h, windowMillis) => {
    $('heatmap-wrap').hidden = false;
    const canvas = $('heatmap');
    const width = (canvas.width = canvas.clientWidth || 900);
    const height = (canvas.height = 200);
    const ctx = canvas.getContext('2d');
    ctx.clearRect(0, 0, width, height);
    const rows = h.bounds.length + 1;
    const left = 70;
    const end = Date.now();
    const start = end - windowMillis;
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
  };
})();
