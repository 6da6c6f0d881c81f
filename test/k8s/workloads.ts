/**
 * Reading rendered manifests the way the kubelet would: which service a container
 * runs, which environment it ends up with, how long its shutdown may take.
 */
import { envNames, loadConfig, type Schema } from '@taskstream/config';
import { bridgeSchema } from '../../services/bridge/src/config';
import { consumerSchema } from '../../services/consumer/src/config';
import { ingestSchema } from '../../services/ingest/src/config';
import { podSpecOf, type Manifest } from './validate';

export const SCHEMAS = { ingest: ingestSchema, bridge: bridgeSchema, consumer: consumerSchema } as const;
export type ServiceName = keyof typeof SCHEMAS;

/** Seconds from SIGTERM to the process's own forced exit (libs/lifecycle exitOnSignals). */
const FORCE_EXIT_DEFAULT_S = 30; // exitOnSignals' default, used by ingest and bridge
const CONSUMER_FORCE_MARGIN_S = 5; // the consumer passes drain + 5 s

export interface ContainerEnv {
  /** Every variable name the container gets. */
  names: Set<string>;
  /** Values written in the manifests (not those from Secrets). */
  literal: Record<string, string>;
  /** Variables whose names cannot be known offline (envFrom a Secret, a missing ConfigMap). */
  unknowable: string[];
}

export function byKind(docs: Manifest[], kind: string): Manifest[] {
  return docs.filter((d) => d.kind === kind);
}

export function find(docs: Manifest[], kind: string, name: string): Manifest | undefined {
  return docs.find((d) => d.kind === kind && d.metadata.name === name);
}

/** The taskstream service a container runs, from its command (`node services/X/dist/main.js`). */
export function serviceOf(container: { command?: string[]; args?: string[] }): ServiceName | undefined {
  const line = [...(container.command ?? []), ...(container.args ?? [])].join(' ');
  return line.match(/services\/(ingest|bridge|consumer)\/dist\/main\.js/)?.[1] as ServiceName | undefined;
}

/** Deployments whose first container runs one of our services. */
export function serviceDeployments(docs: Manifest[]): { service: ServiceName; deployment: Manifest; container: Manifest['spec'] }[] {
  return byKind(docs, 'Deployment').flatMap((deployment) => {
    const container = podSpecOf(deployment)?.containers?.[0];
    const service = container && serviceOf(container);
    return service ? [{ service, deployment, container }] : [];
  });
}

/** A container's environment: `env` entries and `envFrom` ConfigMaps, resolved against the rendered docs. */
export function containerEnv(docs: Manifest[], container: Manifest['spec']): ContainerEnv {
  const env: ContainerEnv = { names: new Set(), literal: {}, unknowable: [] };
  const configMap = (name: string) => find(docs, 'ConfigMap', name)?.data as Record<string, string> | undefined;
  for (const from of container.envFrom ?? []) {
    const data = from.configMapRef ? configMap(from.configMapRef.name) : undefined;
    if (!data) {
      env.unknowable.push(from.secretRef ? `envFrom Secret ${from.secretRef.name}` : `envFrom ConfigMap ${from.configMapRef?.name} (not rendered)`);
      continue;
    }
    for (const [key, value] of Object.entries(data)) {
      env.names.add(`${from.prefix ?? ''}${key}`);
      env.literal[`${from.prefix ?? ''}${key}`] = value;
    }
  }
  for (const item of container.env ?? []) {
    env.names.add(item.name);
    const ref = item.valueFrom?.configMapKeyRef;
    const value = item.value ?? (ref ? configMap(ref.name)?.[ref.key] : undefined);
    if (value !== undefined) env.literal[item.name] = value;
    else delete env.literal[item.name]; // a later secretKeyRef overrides an earlier literal
  }
  return env;
}

/** Names that are neither the service's own variables, the OpenTelemetry SDK's, nor Node's NODE_OPTIONS. */
export function unknownVariables(service: ServiceName, names: Iterable<string>): string[] {
  const known = new Set(envNames(SCHEMAS[service]));
  // OTEL_* configure the OpenTelemetry SDK and NODE_OPTIONS the runtime, not our config loader.
  return [...names].filter((n) => !known.has(n) && !n.startsWith('OTEL_') && n !== 'NODE_OPTIONS');
}

/**
 * Variables a deployed service must set: those whose default only works on a
 * developer's machine (127.0.0.1, localhost), plus the OTLP endpoint (the SDK's
 * default is localhost) unless the SDK is off.
 */
export function requiredVariables(service: ServiceName, literal: Record<string, string>): string[] {
  const schema: Schema = SCHEMAS[service];
  const local = Object.values(schema).filter((f) => /127\.0\.0\.1|localhost/.test(String(f.defaultValue))).map((f) => f.env);
  return literal.OTEL_SDK_DISABLED === 'true' ? local : [...local, 'OTEL_EXPORTER_OTLP_ENDPOINT'];
}

/** Throws (with every bad variable) when a literal value would fail the service's config at start. */
export function parseWithSchema(service: ServiceName, literal: Record<string, string>): void {
  loadConfig(SCHEMAS[service], literal);
}

/** Seconds from SIGTERM until the process exits on its own at the latest. */
export function forceExitSeconds(service: ServiceName, literal: Record<string, string>): number {
  if (service !== 'consumer') return FORCE_EXIT_DEFAULT_S;
  const drainMs = literal.CONSUMER_DRAIN_TIMEOUT_MS ? Number(literal.CONSUMER_DRAIN_TIMEOUT_MS) : consumerSchema.drainTimeoutInMs.defaultValue;
  return Math.ceil(drainMs / 1000) + CONSUMER_FORCE_MARGIN_S;
}

/** Seconds the preStop hook holds SIGTERM back (`sleep` action or an exec of sleep). */
export function preStopSeconds(container: Manifest['spec']): number {
  const hook = container.lifecycle?.preStop;
  if (hook?.sleep) return Number(hook.sleep.seconds);
  const sleep = (hook?.exec?.command as string[] | undefined)?.join(' ').match(/sleep\s+(\d+)/);
  return sleep ? Number(sleep[1]) : 0;
}
