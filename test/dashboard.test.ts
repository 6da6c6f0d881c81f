import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createMetricsRegistry } from '@taskstream/telemetry';
import { createBridgeMetrics } from '../services/bridge/src/metrics';
import { createConsumerMetrics } from '../services/consumer/src/metrics';
import { createIngestMetrics } from '../services/ingest/src/metrics';

interface Panel {
  title: string;
  type: string;
  targets?: { expr: string }[];
}

const dashboard = JSON.parse(readFileSync(join(__dirname, '..', 'deploy', 'grafana', 'taskstream-dashboard.json'), 'utf8')) as { panels: Panel[] };

/** Every metric family the three services expose, their own and prom-client's defaults. */
async function exposedMetrics(): Promise<Set<string>> {
  const names = new Set<string>();
  for (const create of [createIngestMetrics, createBridgeMetrics, createConsumerMetrics]) {
    const registry = createMetricsRegistry('test');
    create(registry);
    for (const metric of await registry.getMetricsAsJSON()) names.add(metric.name);
  }
  return names;
}

describe('Grafana dashboard', () => {
  it('when a panel queries a metric, then a service exposes that metric', async () => {
    const exposed = await exposedMetrics();
    const queried = dashboard.panels.flatMap((p) => (p.targets ?? []).flatMap((t) => t.expr.match(/\b(?:taskstream|nodejs|process)_[a-z0-9_]+/g) ?? []));
    const family = (name: string) => name.replace(/_(bucket|sum|count)$/, '');
    const unknown = [...new Set(queried)].filter((name) => !exposed.has(name) && !exposed.has(family(name)));
    expect(queried.length).toBeGreaterThan(20);
    expect(unknown).toEqual([]);
  });

  it('when the dashboard is read, then it shows throughput, backlog by stage, e2e p50/p95/p99 and errors', () => {
    const rows = dashboard.panels.filter((p) => p.type === 'row').map((p) => p.title);
    expect(rows).toEqual(['Throughput', 'Backlog by stage', 'Latency', 'Errors']);
    const exprs = dashboard.panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr)).join('\n');
    for (const q of ['0.5', '0.95', '0.99']) expect(exprs).toContain(`histogram_quantile(${q}, sum by (le) (rate(taskstream_task_e2e_seconds_bucket`);
  });
});
