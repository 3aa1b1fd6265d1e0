import { describe, expect, it } from 'vitest';
import { SCREEN_KEYS, isBarcodeKey, screenForKey, type ScreenId } from './shortcuts';

const ALL = Object.keys(SCREEN_KEYS) as ScreenId[];
const press = (
  code: string,
  mods: Partial<Record<'altKey' | 'ctrlKey' | 'metaKey' | 'shiftKey', boolean>> = {},
  key = '',
) => ({
  key,
  code,
  altKey: false,
  ctrlKey: false,
  metaKey: false,
  shiftKey: false,
  ...mods,
});

describe('the desk shortcut keys', () => {
  it('open a screen with Alt and its letter, by the key position whatever the letter typed', () => {
    expect(screenForKey(press('KeyU', { altKey: true }, 'u'), ALL)).toBe('checkout');
    expect(screenForKey(press('KeyR', { altKey: true }, 'r'), ALL)).toBe('checkin');
    // macOS Option+U types a dead key; a French layout's KeyQ types "a": the position decides.
    expect(screenForKey(press('KeyU', { altKey: true }, 'Dead'), ALL)).toBe('checkout');
    expect(screenForKey(press('KeyQ', { altKey: true }, 'a'), ALL)).toBe('catalogue');
  });
  it('ignore the key without Alt, with other modifiers too, and for a screen this account does not have', () => {
    expect(screenForKey(press('KeyU', {}, 'u'), ALL)).toBeNull();
    expect(screenForKey(press('KeyU', { altKey: true, ctrlKey: true }), ALL)).toBeNull();
    expect(screenForKey(press('KeyU', { altKey: true, shiftKey: true }), ALL)).toBeNull();
    expect(
      screenForKey(
        press('KeyG', { altKey: true }),
        ALL.filter((s) => s !== 'settings'),
      ),
    ).toBeNull();
    expect(screenForKey(press('Digit1', { altKey: true }), ALL)).toBeNull();
  });
  it('use one letter per screen, none of those the browsers keep (Alt+D, F, E and Firefox menu letters)', () => {
    const letters = Object.values(SCREEN_KEYS);
    expect(new Set(letters).size).toBe(letters.length);
    for (const reserved of ['D', 'F', 'E', 'V', 'S', 'B', 'T', 'H']) expect(letters).not.toContain(reserved);
  });
  it('put F2 alone to the barcode field', () => {
    expect(isBarcodeKey(press('F2', {}, 'F2'))).toBe(true);
    expect(isBarcodeKey(press('F2', { ctrlKey: true }, 'F2'))).toBe(false);
  });
});
