// The notice pass, run by the station process (npm run serve, the desktop app's station core):
// shortly after start, then every few minutes, and at once when Settings › Notices asks ("Send
// now", which calls the pass directly). The pass itself decides whether this station is the one
// that sends (src/services/notices.ts); on the others it is a cheap no-op. Each run is a few
// queries and, when there is mail, a few SMTP conversations: it never blocks the desk for long,
// and a failing run is logged (without patron data) and tried again at the next tick.
import type { StationServices } from './services';

export const DEFAULT_NOTICE_INTERVAL_MS = 5 * 60_000;
/** The first run waits a little, so that a station starting up serves the desk first. */
const FIRST_RUN_MS = 10_000;

export interface NoticeScheduler {
  stop(): void;
}

export function startNoticeScheduler(
  services: StationServices,
  intervalMs = DEFAULT_NOTICE_INTERVAL_MS,
): NoticeScheduler {
  let stopped = false;
  const tick = async () => {
    if (stopped || !services.admin.isConfigured()) return;
    try {
      await services.notices.run();
    } catch (error) {
      console.error('station: notice pass failed', error instanceof Error ? error.message : String(error));
    }
  };
  const first = setTimeout(() => void tick(), Math.min(FIRST_RUN_MS, intervalMs));
  const timer = setInterval(() => void tick(), intervalMs);
  first.unref();
  timer.unref();
  return {
    stop() {
      stopped = true;
      clearTimeout(first);
      clearInterval(timer);
    },
  };
}
