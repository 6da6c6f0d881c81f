import { bool, int, list, oneOf, str } from './fields';
import { describeSchema, envNames, loadConfig } from './load';

const schema = {
  port: int('PORT', 8080, 'port', { min: 0, max: 65535 }),
  name: str('NAME', 'x', 'name'),
  verbose: bool('VERBOSE', false, 'verbose'),
  brokers: list('BROKERS', ['a:1'], 'brokers'),
  mode: oneOf('MODE', 'fast', 'mode', ['fast', 'safe'] as const),
};

describe('loadConfig', () => {
  it('when nothing is set, then the defaults are returned, frozen', () => {
    const config = loadConfig(schema, {});
    expect(config).toEqual({ port: 8080, name: 'x', verbose: false, brokers: ['a:1'], mode: 'fast' });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('when values are set, then they are parsed', () => {
    expect(loadConfig(schema, { PORT: '1', VERBOSE: 'yes', BROKERS: 'b:2, c:3', MODE: 'safe' })).toMatchObject({ port: 1, verbose: true, brokers: ['b:2', 'c:3'], mode: 'safe' });
  });

  it('when several values are bad, then every one is reported at once', () => {
    expect(() => loadConfig(schema, { PORT: '70000', VERBOSE: 'maybe', MODE: 'slow' })).toThrow(/PORT: must be <= 65535; VERBOSE: .*; MODE: /);
  });

  it('when asked, then it lists its variables and documents them', () => {
    expect(envNames(schema)).toEqual(['PORT', 'NAME', 'VERBOSE', 'BROKERS', 'MODE']);
    expect(describeSchema(schema)).toContain('| `BROKERS` | `a:1` | brokers |');
  });
});
