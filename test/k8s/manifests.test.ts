/**
 * Offline proof that the Kubernetes manifests and the compose file would run the
 * services as configured: every overlay renders, every document validates against
 * the Kubernetes (and KEDA) schemas, and the settings agree with what the services
 * read, with the topic layout and with their shutdown timings. No cluster needed;
 * the first run builds kustomize and kubeconform (about two minutes, then cached).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { installTools, parseManifests, podSpecOf, render, ROOT, toYaml, validateManifests, type K8sTools, type Manifest } from './validate';
import {
  byKind, containerEnv, find, forceExitSeconds, parseWithSchema, preStopSeconds, requiredVariables, serviceDeployments, serviceOf, unknownVariables,
  SCHEMAS, type ServiceName,
} from './workloads';

const TARGETS = ['k8s/base', 'k8s/overlays/dev', 'k8s/overlays/prod'] as const;
const PORT_VARIABLE: Record<ServiceName, string> = { ingest: 'INGEST_PORT', bridge: 'BRIDGE_PORT', consumer: 'CONSUMER_PORT' };

let tools: K8sTools;
const texts: Record<string, string> = {};
const docs: Record<string, Manifest[]> = {};

beforeAll(() => {
  tools = installTools();
  for (const target of TARGETS) {
    texts[target] = render(tools, target);
    docs[target] = parseManifests(texts[target]!);
  }
}, 15 * 60_000);

/** Partitions of the tasks topic as the topic Job creates it. */
function taskPartitions(all: Manifest[]): number {
  const job = find(all, 'Job', 'taskstream-topics');
  const value = job && containerEnv(all, podSpecOf(job).containers[0]).literal.TASKS_PARTITIONS;
  if (!value) throw new Error('the taskstream-topics Job sets no TASKS_PARTITIONS');
  return Number(value);
}

describe.each(TARGETS)('%s', (target) => {
  const all = () => docs[target]!;
  const services = () => serviceDeployments(all());

  it('when rendered with kustomize, then every document validates against the Kubernetes and KEDA schemas', () => {
    expect(all().length).toBeGreaterThan(10);
    expect(validateManifests(tools, texts[target]!)).toEqual([]);
    expect(services().map((s) => s.service).sort()).toEqual(['bridge', 'consumer', 'ingest']);
  });

  it('when a service starts, then it gets only variables its config schema (or OpenTelemetry) reads, each value parses, and nothing it needs is missing', () => {
    for (const { service, container } of services()) {
      const env = containerEnv(all(), container);
      expect({ service, unknowable: env.unknowable }).toEqual({ service, unknowable: [] });
      expect({ service, unknown: unknownVariables(service, env.names) }).toEqual({ service, unknown: [] });
      expect({ service, missing: requiredVariables(service, env.literal).filter((n) => !env.names.has(n)) }).toEqual({ service, missing: [] });
      expect(() => parseWithSchema(service, env.literal)).not.toThrow();
      if (env.literal.KAFKA_SASL_MECHANISM && service !== 'ingest') {
        expect({ service, sasl: ['KAFKA_SASL_USERNAME', 'KAFKA_SASL_PASSWORD'].filter((n) => !env.names.has(n)) }).toEqual({ service, sasl: [] });
      }
    }
  });

  it('when a pod is stopped, then the grace period covers preStop plus the service drain and its forced exit', () => {
    for (const { service, deployment, container } of services()) {
      const env = containerEnv(all(), container);
      const needed = preStopSeconds(container) + forceExitSeconds(service, env.literal);
      expect({ service, preStop: preStopSeconds(container) > 0 }).toEqual({ service, preStop: true });
      expect({ service, grace: podSpecOf(deployment).terminationGracePeriodSeconds >= needed, needed }).toEqual({ service, grace: true, needed });
    }
  });

  it('when the kubelet probes, then liveness is /healthz and readiness /readyz on the configured port, and the pod is hardened and scrapeable', () => {
    for (const { service, deployment, container } of services()) {
      const pod = podSpecOf(deployment);
      const port = Number(containerEnv(all(), container).literal[PORT_VARIABLE[service]] ?? SCHEMAS[service].port.defaultValue);
      const portNamed = (ref: string | number) => (typeof ref === 'number' ? ref : container.ports.find((p: { name: string }) => p.name === ref)?.containerPort);
      expect({ service, live: container.livenessProbe.httpGet.path, ready: container.readinessProbe.httpGet.path }).toEqual({ service, live: '/healthz', ready: '/readyz' });
      expect([portNamed(container.livenessProbe.httpGet.port), portNamed(container.readinessProbe.httpGet.port)]).toEqual([port, port]);
      expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
      expect(container.securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
      expect(container.resources).toEqual({ requests: expect.objectContaining({ cpu: expect.anything(), memory: expect.anything() }), limits: expect.objectContaining({ memory: expect.anything() }) });
      expect(deployment.spec.template.metadata.annotations).toMatchObject({ 'prometheus.io/scrape': 'true', 'prometheus.io/port': String(port) });
      const pdb = byKind(all(), 'PodDisruptionBudget').find((p) => p.spec.selector.matchLabels['app.kubernetes.io/name'] === deployment.spec.selector.matchLabels['app.kubernetes.io/name']);
      expect({ service, pdb: Boolean(pdb) }).toEqual({ service, pdb: true });
    }
  });

  it('when consumers scale, then they never exceed the partitions the topic Job creates', () => {
    const partitions = taskPartitions(all());
    const scaled = find(all(), 'ScaledObject', 'taskstream-consumer');
    const max = scaled ? scaled.spec.maxReplicaCount : find(all(), 'Deployment', 'taskstream-consumer')!.spec.replicas ?? 1;
    expect(max).toBeLessThanOrEqual(partitions);
  });

  it('when KEDA reads its signals, then the bridge lists and the consumer group are the ones the services use', () => {
    const bridge = find(all(), 'ScaledObject', 'taskstream-bridge');
    const consumer = find(all(), 'ScaledObject', 'taskstream-consumer');
    if (!bridge || !consumer) return expect(target).toBe('k8s/overlays/dev'); // dev runs without KEDA
    const bridgeEnv = containerEnv(all(), podSpecOf(find(all(), 'Deployment', 'taskstream-bridge')!).containers[0]).literal;
    const shards = Number(bridgeEnv.BUFFER_SHARDS ?? SCHEMAS.bridge.bufferShards.defaultValue);
    const prefix = bridgeEnv.TASKSTREAM_PREFIX ?? SCHEMAS.bridge.redisPrefix.defaultValue;
    expect(bridge.spec.maxReplicaCount).toBeLessThanOrEqual(shards); // a bridge without a shard lease idles
    for (const trigger of bridge.spec.triggers) {
      expect(trigger.type).toBe('redis');
      const shard = trigger.metadata.listName.match(new RegExp(`^${prefix}:q:(\\d+)$`))?.[1];
      expect({ list: trigger.metadata.listName, inRange: shard !== undefined && Number(shard) < shards }).toEqual({ list: trigger.metadata.listName, inRange: true });
    }
    const consumerEnv = containerEnv(all(), podSpecOf(find(all(), 'Deployment', 'taskstream-consumer')!).containers[0]);
    const kafka = consumer.spec.triggers.find((t: { type: string }) => t.type === 'kafka');
    for (const [key, variable] of Object.entries(kafka.metadata).filter(([k]) => k.endsWith('FromEnv'))) {
      expect({ key, set: consumerEnv.names.has(variable as string) }).toEqual({ key, set: true });
    }
  });
});

describe('overlay specifics', () => {
  it('when dev is applied, then each service runs once, without KEDA, next to Redis with AOF and noeviction', () => {
    const dev = docs['k8s/overlays/dev']!;
    expect(serviceDeployments(dev).map((s) => s.deployment.spec.replicas)).toEqual([1, 1, 1]);
    expect(dev.filter((d) => d.apiVersion.startsWith('keda.sh') || d.kind === 'HorizontalPodAutoscaler')).toEqual([]);
    const redisArgs = podSpecOf(find(dev, 'StatefulSet', 'redis')!).containers[0].args.join(' ');
    expect(redisArgs).toMatch(/--appendonly yes/);
    expect(redisArgs).toMatch(/--maxmemory-policy noeviction/);
    expect(['kafka', 'redis', 'jaeger'].every((name) => find(dev, 'Service', name))).toBe(true);
  });

  it('when prod is applied, then replicas have HA floors, topics are replicated and Kafka is reached over TLS with SASL', () => {
    const prod = docs['k8s/overlays/prod']!;
    expect(find(prod, 'HorizontalPodAutoscaler', 'taskstream-ingest')!.spec.minReplicas).toBeGreaterThanOrEqual(2);
    for (const name of ['taskstream-bridge', 'taskstream-consumer']) expect(find(prod, 'ScaledObject', name)!.spec.minReplicaCount).toBeGreaterThanOrEqual(2);
    const job = find(prod, 'Job', 'taskstream-topics')!;
    expect(containerEnv(prod, podSpecOf(job).containers[0]).literal).toMatchObject({ REPLICATION_FACTOR: '3', MIN_INSYNC_REPLICAS: '2', KAFKA_SSL: 'true' });
    const ingest = containerEnv(prod, podSpecOf(find(prod, 'Deployment', 'taskstream-ingest')!).containers[0]);
    expect(ingest.names.has('INGEST_API_TOKEN')).toBe(true);
    expect(ingest.literal.INGEST_API_TOKEN).toBeUndefined(); // from a Secret, never written down
    const trigger = find(prod, 'ScaledObject', 'taskstream-consumer')!.spec.triggers[0];
    expect(trigger).toMatchObject({ metadata: { tls: 'enable', sasl: 'scram_sha512' }, authenticationRef: { name: 'taskstream-kafka' } });
    expect(find(prod, 'TriggerAuthentication', 'taskstream-kafka')).toBeDefined();
  });
});

describe('the validator', () => {
  const consumerDeployment = () => structuredClone(find(docs['k8s/base']!, 'Deployment', 'taskstream-consumer')!);
  const consumerScaler = () => structuredClone(find(docs['k8s/base']!, 'ScaledObject', 'taskstream-consumer')!);
  const broken: [string, () => Manifest, RegExp][] = [
    ['a Deployment with replicas as a string', () => ({ ...consumerDeployment(), spec: { ...consumerDeployment().spec, replicas: '2' } }), /replicas/],
    ['a container without an image', () => { const d = consumerDeployment(); delete d.spec.template.spec.containers[0].image; return d; }, /has no image/],
    ['a misspelt field (readinesProbe)', () => { const d = consumerDeployment(); d.spec.template.spec.containers[0].readinesProbe = {}; return d; }, /readinesProbe/],
    ['a ScaledObject with maxReplicaCount as a string', () => ({ ...consumerScaler(), spec: { ...consumerScaler().spec, maxReplicaCount: '12' } }), /maxReplicaCount/],
    ['a ScaledObject with a misspelt field', () => ({ ...consumerScaler(), spec: { ...consumerScaler().spec, maxReplicaCont: 12 } }), /maxReplicaCont/],
    ['a kind the schemas do not know', () => ({ apiVersion: 'apps/v1', kind: 'Deploymnet', metadata: { name: 'x' } }), /Deploymnet/],
  ];

  it.each(broken)('when given %s, then it rejects it', (_name, make, message) => {
    const problems = validateManifests(tools, toYaml([make()]));
    expect(problems.join('\n')).toMatch(message);
  });

  it('when given the same documents unbroken, then it accepts them', () => {
    expect(validateManifests(tools, toYaml([consumerDeployment(), consumerScaler()]))).toEqual([]);
  });
});

describe('deploy/docker-compose.yml', () => {
  const compose = parse(readFileSync(join(ROOT, 'deploy', 'docker-compose.yml'), 'utf8'), { merge: true });
  const seconds = (d: string) => Number(d.match(/^(\d+)s$/)?.[1] ?? NaN);
  const serviceEntries = () =>
    Object.entries(compose.services as Record<string, { command?: string[]; environment?: Record<string, string>; stop_grace_period?: string }>)
      .map(([name, svc]) => ({ name, svc, service: serviceOf(svc) }))
      .filter((e): e is typeof e & { service: ServiceName } => e.service !== undefined);

  it('when compose starts the services, then each gets only variables it reads, each value parses, and nothing it needs is missing', () => {
    expect(serviceEntries().map((e) => e.service).sort()).toEqual(['bridge', 'consumer', 'ingest']);
    for (const { name, svc, service } of serviceEntries()) {
      const env = Object.fromEntries(Object.entries(svc.environment ?? {}).map(([k, v]) => [k, String(v)]));
      expect({ name, unknown: unknownVariables(service, Object.keys(env)) }).toEqual({ name, unknown: [] });
      expect({ name, missing: requiredVariables(service, env).filter((n) => !(n in env)) }).toEqual({ name, missing: [] });
      expect(() => parseWithSchema(service, env)).not.toThrow();
      expect({ name, grace: seconds(svc.stop_grace_period ?? '10s') >= forceExitSeconds(service, env) }).toEqual({ name, grace: true });
    }
  });

  it('when compose creates topics, then it runs the Job script with the same layout as the Kubernetes base', () => {
    const init = compose.services['kafka-init'];
    const script = (init.volumes as string[]).find((v) => v.includes('create-topics.sh'))!.split(':')[0]!;
    expect(existsSync(join(ROOT, 'deploy', script))).toBe(true);
    expect(Number(init.environment.TASKS_PARTITIONS)).toBe(taskPartitions(docs['k8s/base']!));
    expect(compose.services.redis.command.join(' ')).toMatch(/--appendonly yes.*--maxmemory-policy noeviction/);
    expect(compose.services.kafka.image).toBe('apache/kafka:3.9.1');
  });
});

describe('Dockerfile', () => {
  const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');

  it('when the image is built, then it runs as a numeric non-root user with production dependencies and the Lua scripts', () => {
    expect(dockerfile).toMatch(/^USER 1000:1000$/m);
    expect(dockerfile).toMatch(/npm ci --omit=dev/);
    expect(dockerfile).toMatch(/libs\/queue\/lua/);
    for (const service of Object.keys(SCHEMAS)) expect(existsSync(join(ROOT, 'services', service, 'src', 'main.ts'))).toBe(true);
  });
});
