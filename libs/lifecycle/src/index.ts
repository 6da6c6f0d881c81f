export { createShutdown, exitOnSignals, exitAfterFatal, type ShutdownStep, type ShutdownOptions } from './shutdown';
export { startOpsServer, type OpsServer, type OpsServerOptions } from './ops-server';
