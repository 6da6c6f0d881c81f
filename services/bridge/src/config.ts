import { commonFields, int, loadConfig, str, type ConfigOf } from '@taskstream/config';

export const bridgeSchema = {
  ...commonFields,
  port: int('BRIDGE_PORT', 8081, 'Port of /healthz, /readyz and /metrics', { min: 0, max: 65535 }),
  host: str('BRIDGE_HOST', '0.0.0.0', 'Address the ops server binds'),
  maxTasksPerShard: int('BRIDGE_MAX_TASKS_PER_SHARD', 1000, 'Most tasks moved from one Redis list per cycle (a batch closes on this size)', { min: 1, max: 50_000 }),
  lingerInMs: int('BRIDGE_LINGER_MS', 5, 'Wait before the next cycle when the last one was not full (a batch closes on this time)', { min: 0, max: 10_000 }),
  idleMaxInMs: int('BRIDGE_IDLE_MAX_MS', 20, 'Longest wait between polls while the lists are empty (idle polls back off from BRIDGE_LINGER_MS up to it)', { min: 1, max: 10_000 }),
  leaseTtlInMs: int('BRIDGE_LEASE_TTL_MS', 10_000, 'A shard lease not renewed within this time passes to another bridge', { min: 1000 }),
  produceTimeoutInMs: int('BRIDGE_PRODUCE_TIMEOUT_MS', 30_000, 'Time Kafka may take to acknowledge a batch (acks=all)', { min: 100 }),
};

export type BridgeConfig = ConfigOf<typeof bridgeSchema>;

export const loadBridgeConfig = (env: NodeJS.ProcessEnv = process.env): BridgeConfig => loadConfig(bridgeSchema, env);
