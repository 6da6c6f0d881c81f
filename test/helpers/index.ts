export * from './env';
export * from './kafka';
export * from './services';
export * from './tasks';
export * from './wait';
