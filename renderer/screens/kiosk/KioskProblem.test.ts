// The kiosk's words for what went wrong: its own, never the desk's, with times in the branch's
// zone and days in the kiosk's language. A real i18next with the real locale files.
import { describe, expect, it } from 'vitest';
import { createI18n } from '../../../src/i18n';
import { formatDate, formatDay, formatMoney, formatTime } from '../../format';
import { kioskProblemLines } from './KioskProblem';
import type { KioskFormat } from './useKioskFormat';

const format = (locale: string, timeZone: string): KioskFormat => ({
  locale,
  date: (at) => formatDate(at, locale, timeZone),
  day: (day) => formatDay(day, locale),
  time: (at) => formatTime(at, locale, timeZone),
  money: (amount, currency = 'USD') => formatMoney(amount, currency, locale),
});

describe("the kiosk's words for a problem", () => {
  it('says a wrong PIN in plain words at the PIN step, and a session that ended later, never "username or password"', async () => {
    const i18n = await createI18n('en');
    const ny = format('en-US', 'America/New_York');
    const wrong = { code: 'UNAUTHENTICATED', message: 'That card and PIN do not match.' };
    expect(kioskProblemLines(wrong, 'pin', i18n.t, ny)).toEqual([
      'That PIN is not right for this card. Please try again.',
    ]);
    expect(kioskProblemLines(wrong, 'session', i18n.t, ny)).toEqual(['Your session has ended. Please start again.']);
    const es = await createI18n('es');
    expect(kioskProblemLines(wrong, 'pin', es.t, format('es-US', 'America/New_York'))).toEqual([
      'Ese PIN no es el de este carné. Vuelva a intentarlo.',
    ]);
  });

  it("says when a locked card may try again in the branch's time, and asks the desk when it cannot say", async () => {
    const i18n = await createI18n('en');
    const retryAt = Date.UTC(2026, 10, 16, 20, 45); // 3:45 PM in New York
    expect(
      kioskProblemLines(
        { code: 'LOCKED', message: 'locked', retryAt },
        'pin',
        i18n.t,
        format('en-US', 'America/New_York'),
      ),
    ).toEqual(['This card is locked after too many wrong PINs. Try again at 3:45 PM or ask at the desk.']);
    expect(
      kioskProblemLines({ code: 'LOCKED', message: 'locked' }, 'pin', i18n.t, format('en-US', 'America/New_York')),
    ).toEqual(['This card is locked after too many wrong PINs. Please ask at the desk.']);
    expect(
      kioskProblemLines(
        { code: 'RATE_LIMITED', message: 'slow down', retryAt },
        'pin',
        i18n.t,
        format('en-US', 'America/Chicago'),
      )[0],
    ).toContain('2:45 PM');
  });

  it("puts a refusal's day in the kiosk's language, says each reason once, and asks the desk for what it does not know", async () => {
    const es = await createI18n('es');
    const tooSoon = {
      code: 'REFUSED',
      message: 'refused',
      refusals: [
        { code: 'RENEWAL_TOO_SOON', params: { date: '2026-11-27' }, overridable: true },
        { code: 'RENEWAL_TOO_SOON', params: { date: '2026-11-27' }, overridable: true },
      ],
    };
    expect(kioskProblemLines(tooSoon, 'session', es.t, format('es-US', 'America/New_York'))).toEqual([
      'Todavía es pronto para renovar este ejemplar. Vuelva a intentarlo a partir del 27 nov 2026.',
    ]);
    const en = await createI18n('en');
    expect(
      kioskProblemLines(
        { code: 'REFUSED', message: 'refused', refusals: [{ code: 'SOMETHING_NEW', overridable: false }] },
        'session',
        en.t,
        format('en-US', 'UTC'),
      ),
    ).toEqual(['Please see the desk.']);
    expect(
      kioskProblemLines({ code: 'NETWORK', message: 'no answer' }, 'session', en.t, format('en-US', 'UTC')),
    ).toEqual(["The kiosk cannot reach the library's computer right now. Please ask at the desk."]);
  });
});
