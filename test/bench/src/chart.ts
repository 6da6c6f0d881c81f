import type { Phase, Sample } from './sampler';

/** An SVG chart written with string templates: no browser, no chart library. */

const WIDTH = 1100;
const LEFT = 80;
const RIGHT = 230; // legend column
const TOP = 50;
const PANEL_HEIGHT = 240;
const GAP = 60;
const PLOT_WIDTH = WIDTH - LEFT - RIGHT;
const MIN_LABELLED_PX = 12;
const HEIGHT = TOP + 2 * PANEL_HEIGHT + GAP + 50;

interface Series {
  label: string;
  color: string;
  value: (s: Sample) => number;
}

const THROUGHPUT: Series[] = [
  { label: 'accepted / s (ingest)', color: '#1f77b4', value: (s) => s.acceptedPerSecond },
  { label: 'done / s (consumer or BullMQ)', color: '#2ca02c', value: (s) => s.finishedPerSecond },
];
const LATENCY: Series[] = [
  { label: 'end to end p50', color: '#ff7f0e', value: (s) => s.e2eP50Ms },
  { label: 'end to end p99', color: '#d62728', value: (s) => s.e2eP99Ms },
  { label: 'ingest p99 (server side)', color: '#9467bd', value: (s) => s.ingestP99Ms },
];

const esc = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const num = (n: number) => (Math.abs(n) >= 1000 ? `${Math.round(n / 1000).toLocaleString('en-US')}k` : `${+n.toPrecision(3)}`);

/** A step of 1, 2 or 5 × 10^k giving about `count` ticks over `span`. */
function niceStep(span: number, count: number): number {
  const raw = span / Math.max(1, count);
  const magnitude = 10 ** Math.floor(Math.log10(raw || 1));
  return [1, 2, 5, 10].map((m) => m * magnitude).find((step) => step >= raw) ?? magnitude * 10;
}

/**
 * Seconds without a sample after which the line is broken, not bridged.
 * Shorter gaps are a busy service answering its scrape late: the rate over
 * the gap is still right, so the line goes on. Restarts break it anyway.
 */
const MAX_GAP_SECONDS = 10;

/** Polyline path; a missing value (NaN: nothing finished that second) or a gap breaks the line. */
function path(samples: Sample[], x: (t: number) => number, y: (v: number) => number, value: (s: Sample) => number): string {
  let d = '';
  let pen = false;
  let previousT = -Infinity;
  for (const s of samples) {
    const v = value(s);
    if (s.breakBefore || s.t - previousT > MAX_GAP_SECONDS) pen = false;
    previousT = s.t;
    if (!Number.isFinite(v)) {
      pen = false;
      continue;
    }
    d += `${pen ? 'L' : 'M'}${x(s.t).toFixed(1)},${y(v).toFixed(1)}`;
    pen = true;
  }
  return d;
}

function legend(series: Series[], top: number): string {
  return series
    .map((s, i) => {
      const y = top + 14 + i * 18;
      return `<line x1="${WIDTH - RIGHT + 15}" y1="${y - 4}" x2="${WIDTH - RIGHT + 35}" y2="${y - 4}" stroke="${s.color}" stroke-width="2"/><text x="${WIDTH - RIGHT + 40}" y="${y}" font-size="11">${esc(s.label)}</text>`;
    })
    .join('');
}

function phaseBands(phases: Phase[], x: (t: number) => number, endT: number): string {
  return phases
    .map((p, i) => {
      const x0 = x(p.startT);
      const x1 = x(Number.isNaN(p.endT) ? endT : p.endT);
      const band = i % 2 === 0 ? `<rect x="${x0.toFixed(1)}" y="${TOP}" width="${Math.max(0, x1 - x0).toFixed(1)}" height="${2 * PANEL_HEIGHT + GAP}" fill="#f2f2f2"/>` : '';
      // A phase narrower than a label (a drain, a warm-up) keeps its band but not its name.
      const label = x1 - x0 < MIN_LABELLED_PX ? '' : `<text transform="translate(${(x0 + 10).toFixed(1)},${TOP + 4}) rotate(90)" font-size="10" fill="#777">${esc(p.name)}</text>`;
      return band + label;
    })
    .join('');
}

function xAxis(x: (t: number) => number, endT: number, top: number): string {
  const step = niceStep(endT, 12);
  let out = `<line x1="${LEFT}" y1="${top}" x2="${LEFT + PLOT_WIDTH}" y2="${top}" stroke="#333"/>`;
  for (let t = 0; t <= endT; t += step) {
    out += `<line x1="${x(t)}" y1="${top}" x2="${x(t)}" y2="${top + 4}" stroke="#333"/><text x="${x(t)}" y="${top + 16}" font-size="10" text-anchor="middle">${num(t)}</text>`;
  }
  return out;
}

function panel(title: string, top: number, ticks: number[], y: (v: number) => number, series: Series[], samples: Sample[], x: (t: number) => number): string {
  let out = `<text x="${LEFT}" y="${top - 8}" font-size="13" font-weight="bold">${esc(title)}</text>`;
  for (const v of ticks) {
    const yy = y(v).toFixed(1);
    out += `<line x1="${LEFT}" y1="${yy}" x2="${LEFT + PLOT_WIDTH}" y2="${yy}" stroke="#ddd"/><text x="${LEFT - 6}" y="${yy}" font-size="10" text-anchor="end" dominant-baseline="middle">${num(v)}</text>`;
  }
  out += `<rect x="${LEFT}" y="${top}" width="${PLOT_WIDTH}" height="${PANEL_HEIGHT}" fill="none" stroke="#333"/>`;
  for (const s of series) out += `<path d="${path(samples, x, y, s.value)}" fill="none" stroke="${s.color}" stroke-width="1.5"/>`;
  return out + legend(series, top);
}

/** Throughput (linear) and latency percentiles (log) over time, the bench's phases shaded. */
export function renderChart(samples: Sample[], phases: Phase[], title: string): string {
  const endT = Math.max(1, ...samples.map((s) => s.t), ...phases.map((p) => (Number.isNaN(p.endT) ? 0 : p.endT)));
  const x = (t: number) => LEFT + (t / endT) * PLOT_WIDTH;

  const maxRate = Math.max(1, ...samples.flatMap((s) => THROUGHPUT.map((series) => series.value(s))).filter(Number.isFinite));
  const rateStep = niceStep(maxRate, 5);
  const rateTop = Math.ceil(maxRate / rateStep) * rateStep;
  const rateTicks = Array.from({ length: Math.round(rateTop / rateStep) + 1 }, (_, i) => i * rateStep);
  const yRate = (v: number) => TOP + PANEL_HEIGHT - (v / rateTop) * PANEL_HEIGHT;

  const latencies = samples.flatMap((s) => LATENCY.map((series) => series.value(s))).filter((v) => Number.isFinite(v) && v > 0);
  const lo = 10 ** Math.floor(Math.log10(Math.max(0.1, Math.min(1, ...latencies))));
  const hi = 10 ** Math.ceil(Math.log10(Math.max(10, ...latencies)));
  const latencyTop = TOP + PANEL_HEIGHT + GAP;
  const yLatency = (v: number) => latencyTop + PANEL_HEIGHT - ((Math.log10(Math.max(lo, v)) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo))) * PANEL_HEIGHT;
  const decades = Array.from({ length: Math.round(Math.log10(hi / lo)) + 1 }, (_, i) => lo * 10 ** i);

  return `<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif">
<rect width="100%" height="100%" fill="#fff"/>
<text x="${LEFT}" y="22" font-size="15" font-weight="bold">${esc(title)}</text>
${phaseBands(phases, x, endT)}
${panel('Throughput (tasks/s, per second)', TOP, rateTicks, yRate, THROUGHPUT, samples, x)}
${panel('Latency (ms, log scale, per second)', latencyTop, decades, yLatency, LATENCY, samples, x)}
${xAxis(x, endT, latencyTop + PANEL_HEIGHT)}
<text x="${LEFT + PLOT_WIDTH / 2}" y="${HEIGHT - 8}" font-size="11" text-anchor="middle">seconds since the bench started</text>
</svg>
`;
}
