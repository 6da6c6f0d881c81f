// Rewrites the configuration tables in README.md from the services' config
// schemas (run after `npx tsc -b`), so the documented variables and defaults
// are the ones the code reads. test/docs.test.ts fails when they drift.
const { readFileSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..', '..');
const { describeSchema, commonFields } = require(join(root, 'libs/config/dist'));
const own = (schema) => Object.fromEntries(Object.entries(schema).filter(([name]) => !(name in commonFields)));

let tables = `### Shared by all services\n\n${describeSchema(commonFields)}\n`;
for (const service of ['ingest', 'bridge', 'consumer']) {
  const schema = require(join(root, 'services', service, 'dist/config'))[`${service}Schema`];
  tables += `\n### ${service}\n\n${describeSchema(own(schema))}\n`;
}
const readmePath = join(root, 'README.md');
const readme = readFileSync(readmePath, 'utf8');
const start = readme.indexOf('### Shared by all services');
const end = readme.indexOf('## Performance');
if (start < 0 || end < start) throw new Error('README.md lacks the "### Shared by all services" … "## Performance" section');
writeFileSync(readmePath, `${readme.slice(0, start)}${tables}\n${readme.slice(end)}`);
console.log('README.md configuration tables regenerated');
