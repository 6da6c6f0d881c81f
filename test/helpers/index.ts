export * from './env';
export * from './kafka';
export * from './kcat';
export * from './metrics';
export * from './services';
export * from './tasks';
export * from './wait';
