export { int, num, str, bool, oneOf, list, numberMap, type Field } from './fields';
export { loadConfig, envNames, describeSchema, type Schema, type ConfigOf } from './load';
export { commonFields } from './common';
