import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { envNames } from '@taskstream/config';
import { ingestSchema } from '../services/ingest/src/config';
import { bridgeSchema } from '../services/bridge/src/config';
import { consumerSchema } from '../services/consumer/src/config';

const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');

describe('README', () => {
  it.each([['ingest', ingestSchema], ['bridge', bridgeSchema], ['consumer', consumerSchema]])('when %s reads a variable, then the README documents it', (_name, schema) => {
    const undocumented = envNames(schema).filter((name) => !readme.includes(`\`${name}\``));
    expect(undocumented).toEqual([]);
  });

  it('when CI runs, then it runs the test command the README gives', () => {
    expect(readme).toContain('make test');
    expect(readFileSync(join(__dirname, '..', '.ci', 'run'), 'utf8')).toMatch(/^make test$/m);
  });
});
