import { bool, int, list, numberMap, oneOf, str } from './fields';
import { describeSchema, envNames, loadConfig } from './load';

const schema = {
  port: int('PORT', 8080, 'port', { min: 0, max: 65535 }),
  name: str('NAME', 'x', 'name'),
  verbose: bool('VERBOSE', false, 'verbose'),
  brokers: list('BROKERS', ['a:1'], 'brokers'),
  mode: oneOf('MODE', 'fast', 'mode', ['fast', 'safe'] as const),
  limits: numberMap('LIMITS', { cpu: 2 }, 'limits', { min: 1 }),
};

describe('loadConfig', () => {
  it('when nothing is set, then the defaults are returned, frozen', () => {
    const config = loadConfig(schema, {});
    expect(config).toEqual({ port: 8080, name: 'x', verbose: false, brokers: ['a:1'], mode: 'fast', limits: { cpu: 2 } });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('when values are set, then they are parsed', () => {
    expect(loadConfig(schema, { PORT: '1', VERBOSE: 'yes', BROKERS: 'b:2, c:3', MODE: 'safe', LIMITS: 'webhook=50, cpu=2' })).toMatchObject({
      port: 1,
      verbose: true,
      brokers: ['b:2', 'c:3'],
      mode: 'safe',
      limits: { webhook: 50, cpu: 2 },
    });
    expect(() => loadConfig(schema, { LIMITS: 'webhook=0' })).toThrow(/LIMITS: webhook: must be >= 1/);
    expect(() => loadConfig(schema, { LIMITS: 'webhook' })).toThrow(/not name=integer/);
  });

  it('when several values are bad, then every one is reported at once', () => {
    expect(() => loadConfig(schema, { PORT: '70000', VERBOSE: 'maybe', MODE: 'slow' })).toThrow(/PORT: must be <= 65535; VERBOSE: .*; MODE: /);
  });

  it('when asked, then it lists its variables and documents them', () => {
    expect(envNames(schema)).toEqual(['PORT', 'NAME', 'VERBOSE', 'BROKERS', 'MODE', 'LIMITS']);
    expect(describeSchema(schema)).toContain('| `BROKERS` | `a:1` | brokers |');
    expect(describeSchema(schema)).toContain('| `LIMITS` | `cpu=2` | limits |');
  });
});
