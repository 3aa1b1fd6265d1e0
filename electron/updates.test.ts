import { describe, expect, it } from 'vitest';
import { startAutoUpdates, type UpdaterLike } from './updates';

function standInUpdater() {
  const calls: string[] = [];
  const updater: UpdaterLike & { calls: string[] } = {
    calls,
    autoDownload: false,
    autoInstallOnAppQuit: false,
    setFeedURL: (o) => void calls.push(`feed ${o.provider} ${o.url}`),
    on: () => undefined,
    checkForUpdatesAndNotify: async () => void calls.push('check'),
  };
  return updater;
}

describe('automatic updates', () => {
  it('are off by default: electron-updater is not even loaded', async () => {
    let loaded = false;
    const state = await startAutoUpdates(
      { updateUrl: null },
      { loadUpdater: async () => ((loaded = true), standInUpdater()), log: () => undefined },
    );
    expect(state).toBe('off');
    expect(loaded).toBe(false);
  });

  it('follow the feed IT configured, and check again periodically', async () => {
    const updater = standInUpdater();
    const timers: number[] = [];
    const state = await startAutoUpdates(
      { updateUrl: 'https://updates.example.org/circa/' },
      {
        loadUpdater: async () => updater,
        log: () => undefined,
        everyMs: 3_600_000,
        setInterval: (_f, ms) => timers.push(ms),
      },
    );
    expect(state).toBe('on');
    expect(updater.calls).toEqual(['feed generic https://updates.example.org/circa/', 'check']);
    expect(updater.autoInstallOnAppQuit).toBe(true);
    expect(timers).toEqual([3_600_000]);
  });
});
