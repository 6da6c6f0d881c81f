import { newTaskId, timeOfTaskId } from './task-id';

describe('task ids', () => {
  it('when a new id is made, then it is a version 7 UUID that carries its time', () => {
    const now = Date.UTC(2026, 10, 27, 2, 30, 0, 123);
    const id = newTaskId(now);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(timeOfTaskId(id)).toBe(now);
  });

  it('when times alternate between calls, then each id carries its own, up to the largest 48-bit time', () => {
    const times = [0, 1_764_210_000_000, 1, 2 ** 32 - 1, 2 ** 32, 2 ** 48 - 1, 1_764_210_000_000];
    for (const time of times) expect(timeOfTaskId(newTaskId(time))).toBe(time);
  });

  it('when ids are made in the same ms, then they still differ', () => {
    const ids = new Set(Array.from({ length: 10_000 }, () => newTaskId(1_764_210_000_000)));
    expect(ids.size).toBe(10_000);
    // Ten refills of the random pool, and every id still has the version and variant bits.
    expect([...ids].filter((id) => !/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(id))).toEqual([]);
  });

  it('when an id is not a version 7 UUID, then it carries no time', () => {
    const notV7 = [
      'client-chosen', 'tasks-3-1200', '', '3b241101-e2bb-4255-8caf-4136c566a962', '0192F3A4-0000-7ABC-8DEF-000000000000',
      '0192f3a4-0000-7abc-cdef-000000000000', '0192f3a4-0000-7abc-8def-00000000000g', '0192f3a4+0000-7abc-8def-000000000000',
      '0192f3a4-0000-7abc-8def-00000000000é',
    ];
    for (const id of notV7) {
      expect(timeOfTaskId(id)).toBeUndefined();
    }
  });
});
