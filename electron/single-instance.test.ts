import { describe, expect, it } from 'vitest';
import { claimSingleInstance, type FocusableWindow } from './single-instance';

/** Electron's app, reduced to the single-instance lock: the one allowed stand-in. Two "instances" share one lock. */
function machine() {
  let held = false;
  const firsts: (() => void)[] = [];
  return () => {
    const quits: number[] = [];
    const app = {
      quits,
      requestSingleInstanceLock: () => (held ? false : (held = true)),
      quit: () => quits.push(1),
      on: (_e: 'second-instance', l: () => void) => void firsts.push(l),
      // What Electron does when a second instance starts: tell the first one.
      notifyFirst: () => firsts.forEach((l) => l()),
    };
    return app;
  };
}

describe('one instance per machine', () => {
  it('lets the first launch run, and a second launch quits and brings the first to the front', () => {
    const launch = machine();
    const first = launch();
    const calls: string[] = [];
    const window: FocusableWindow = {
      isMinimized: () => true,
      restore: () => calls.push('restore'),
      show: () => calls.push('show'),
      focus: () => calls.push('focus'),
    };
    expect(claimSingleInstance(first, () => window)).toBe(true);
    expect(first.quits).toEqual([]);

    const second = launch();
    expect(claimSingleInstance(second, () => null)).toBe(false);
    expect(second.quits).toEqual([1]);
    second.notifyFirst();
    expect(calls).toEqual(['restore', 'show', 'focus']);
  });
});
