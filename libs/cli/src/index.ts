export { runLoad, type LoadOptions, type LoadReport } from './load';
export { sumCounter, scrape } from './http';
