export { runLoad, type LoadOptions, type LoadReport } from './load';
export { scrape } from './http';
export { searchTraces, findTaskTraces, getTrace, tagOf, serviceOf, parentOf, SERVICES, type JaegerTrace, type JaegerSpan, type TraceSearch } from './jaeger';
export { renderWaterfall, stagesOf } from './waterfall';
export { parsePrometheus, sumOf, sumCounter, bucketsOf, quantileBetween, type Sample } from './prom';
