// Loaded first by main.ts: the SDK must start before kafkajs and ioredis load.
import { startTelemetry } from '@taskstream/telemetry';

startTelemetry({ serviceName: 'taskstream-consumer', serviceVersion: process.env.npm_package_version ?? '0.1.0' });
