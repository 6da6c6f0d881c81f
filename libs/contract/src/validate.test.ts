import { validateTask } from './validate';

describe('validateTask', () => {
  it('when the task is minimal, then it is valid', () => {
    expect(validateTask({ type: 'email.send', payload: {} })).toEqual({ ok: true, task: { type: 'email.send', payload: {} } });
  });

  it('when every field is wrong, then each is named with its path', () => {
    const result = validateTask({ type: 'Bad Type', key: '', id: 'a\tb', maxAttempts: 0, paylaod: 1 }, '/tasks/3');
    expect(result.ok).toBe(false);
    const paths = result.ok ? [] : result.problems.map((p) => p.path).sort();
    expect(paths).toEqual(['/tasks/3/id', '/tasks/3/key', '/tasks/3/maxAttempts', '/tasks/3/paylaod', '/tasks/3/payload', '/tasks/3/type']);
  });

  it('when the task is not an object, then it is rejected', () => {
    for (const value of [null, 1, 'x', [1]]) expect(validateTask(value).ok).toBe(false);
  });

  it('when payload is null, then it is still a payload', () => {
    expect(validateTask({ type: 'noop', payload: null }).ok).toBe(true);
  });

  it('when type is 129 characters, then it is too long', () => {
    expect(validateTask({ type: 'a'.repeat(129), payload: 1 }).ok).toBe(false);
    expect(validateTask({ type: 'a'.repeat(128), payload: 1 }).ok).toBe(true);
  });
});
