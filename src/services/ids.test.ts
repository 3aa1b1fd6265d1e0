import { describe, expect, it } from 'vitest';
import { validate, version } from 'uuid';
import { newId } from './ids';

describe('station ids', () => {
  it('are valid UUIDv7, all different, and in creation order even many to a millisecond', () => {
    const ids = Array.from({ length: 20_000 }, () => newId());
    expect(ids.every((id) => validate(id) && version(id) === 7)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
  });
});
