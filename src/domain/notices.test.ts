import { describe, expect, it } from 'vitest';
import {
  DEFAULT_NOTICE_SETTINGS,
  dueNotices,
  formatNoticeDate,
  noticeChannelOf,
  noticeLanguageOf,
  renderNotice,
  unknownPlaceholders,
  validOverdueDays,
  withNoticeDefaults,
  type NoticeInputs,
} from './notices';
import type { ClosedDay } from './types';

const NY = 'America/New_York';
/** Noon in New York on a date (17:00 UTC in winter). */
const noonNY = (date: string) => Date.parse(`${date}T17:00:00Z`);
/** 23:59 New York time: when a day-loan is due. */
const endOfDayNY = (date: string) => Date.parse(`${date}T23:59:00-05:00`);
const SUNDAYS: ClosedDay[] = [{ kind: 'weekly', weekday: 0 }];

function inputs(over: Partial<NoticeInputs> & { closed?: ClosedDay[] }): NoticeInputs {
  return {
    now: noonNY('2026-12-01'),
    settings: { ...DEFAULT_NOTICE_SETTINGS, enabled: true },
    calendars: new Map([['B', { timeZone: NY, closedDays: over.closed ?? [] }]]),
    loans: [],
    holds: [],
    fees: [],
    ...over,
  };
}

const loan = (dueDate: string) => ({ id: 'L1', patronId: 'P1', branchId: 'B', dueAt: endOfDayNY(dueDate) });

describe('overdue notices in the branch calendar', () => {
  it('counts open days after the due date, so a closed Sunday does not count', () => {
    // Due Saturday 2026-11-28. Sunday 29 closed. Monday 30 is the first open day late.
    const monday = dueNotices(inputs({ now: noonNY('2026-11-30'), loans: [loan('2026-11-28')], closed: SUNDAYS }));
    expect(monday).toEqual([
      {
        patronId: 'P1',
        kind: 'overdue',
        subjectId: 'L1',
        level: '2026-11-28#1',
        template: 'overdue_1',
        daysOverdue: 1,
      },
    ]);
    // On the Sunday itself nothing is late yet in open days.
    expect(dueNotices(inputs({ now: noonNY('2026-11-29'), loans: [loan('2026-11-28')], closed: SUNDAYS }))).toEqual([]);
    // Without the closed day, Monday is two days late: still the first level.
    expect(dueNotices(inputs({ now: noonNY('2026-11-30'), loans: [loan('2026-11-28')] }))[0]!.daysOverdue).toBe(2);
  });

  it('reaches the second level on the 7th open day, not the 7th calendar day, when days are closed', () => {
    // Due Monday 2026-11-16; Sundays closed and a holiday on Thursday 2026-11-26.
    const closed: ClosedDay[] = [...SUNDAYS, { kind: 'date', date: '2026-11-19' }];
    const l = loan('2026-11-16');
    // Calendar day 7 = 2026-11-23; open days in (16, 23]: 17,18,20,21,23 (19 holiday, 22 Sunday) = 5.
    expect(dueNotices(inputs({ now: noonNY('2026-11-23'), loans: [l], closed }))[0]).toMatchObject({
      level: '2026-11-16#1',
      daysOverdue: 5,
    });
    // 2026-11-25: 17,18,20,21,23,24,25 = 7 open days: the second notice.
    expect(dueNotices(inputs({ now: noonNY('2026-11-25'), loans: [l], closed }))[0]).toMatchObject({
      level: '2026-11-16#2',
      template: 'overdue_2',
      daysOverdue: 7,
    });
  });

  it('gives a loan found long overdue only its highest level, the final notice', () => {
    const found = dueNotices(inputs({ now: noonNY('2027-01-20'), loans: [loan('2026-11-16')] }));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ kind: 'overdue', level: '2026-11-16#3', template: 'overdue_3' });
  });

  it('uses the final template for the last level when the library has only two', () => {
    const settings = { ...DEFAULT_NOTICE_SETTINGS, enabled: true, overdueDays: [3, 10] };
    expect(dueNotices(inputs({ settings, now: noonNY('2026-12-01'), loans: [loan('2026-11-16')] }))[0]).toMatchObject({
      level: '2026-11-16#2',
      template: 'overdue_3',
    });
  });

  it('gives a renewed loan new keys: the level names the due date', () => {
    const a = dueNotices(inputs({ now: noonNY('2026-11-18'), loans: [loan('2026-11-16')] }))[0]!;
    const b = dueNotices(inputs({ now: noonNY('2026-12-18'), loans: [loan('2026-12-16')] }))[0]!;
    expect(a.level).not.toBe(b.level);
  });

  it('makes nothing when notices are off', () => {
    expect(dueNotices(inputs({ settings: DEFAULT_NOTICE_SETTINGS, loans: [loan('2026-11-01')] }))).toEqual([]);
  });
});

describe('courtesy notices', () => {
  it('goes out the set number of open days before the due date, counting over a closed day', () => {
    // Due Monday 2026-11-30, Sunday closed, 2 days before: Saturday 28 has Sun(closed), Mon = 1 open day.
    const sat = dueNotices(inputs({ now: noonNY('2026-11-28'), loans: [loan('2026-11-30')], closed: SUNDAYS }));
    expect(sat).toEqual([
      { patronId: 'P1', kind: 'courtesy', subjectId: 'L1', level: '2026-11-30', template: 'courtesy' },
    ]);
    // Friday 27: Sat, Mon = 2 open days: also within.
    expect(
      dueNotices(inputs({ now: noonNY('2026-11-27'), loans: [loan('2026-11-30')], closed: SUNDAYS })),
    ).toHaveLength(1);
    // Thursday 26: Fri, Sat, Mon = 3: too early.
    expect(dueNotices(inputs({ now: noonNY('2026-11-26'), loans: [loan('2026-11-30')], closed: SUNDAYS }))).toEqual([]);
  });

  it('is not sent on the due day itself (an hourly loan due tonight gets none)', () => {
    expect(dueNotices(inputs({ now: noonNY('2026-11-30'), loans: [loan('2026-11-30')] }))).toEqual([]);
  });
});

describe('hold and bill notices', () => {
  const waiting = {
    id: 'H1',
    patronId: 'P2',
    pickupBranchId: 'B',
    status: 'waiting',
    waitingSince: noonNY('2026-11-24'),
    shelfExpiresOn: '2026-12-02',
  };

  it('says a waiting hold is ready, and reminds two open days before it leaves the shelf', () => {
    const now = noonNY('2026-11-30');
    const found = dueNotices(inputs({ now, holds: [waiting] }));
    expect(found.map((n) => n.kind)).toEqual(['hold_ready', 'hold_expiring']);
    expect(found[1]).toMatchObject({ level: '2026-12-02', subjectId: 'H1' });
    expect(dueNotices(inputs({ now: noonNY('2026-11-29'), holds: [waiting] })).map((n) => n.kind)).toEqual([
      'hold_ready',
    ]);
    // Not on a closed day.
    expect(
      dueNotices(
        inputs({ now: noonNY('2026-11-29'), holds: [{ ...waiting, shelfExpiresOn: '2026-12-01' }], closed: SUNDAYS }),
      ).map((n) => n.kind),
    ).toEqual(['hold_ready']);
    expect(dueNotices(inputs({ now, holds: [{ ...waiting, status: 'pending' }] }))).toEqual([]);
  });

  it('bills a lost item while it is owed', () => {
    const fees = [
      { id: 'F1', patronId: 'P3', kind: 'lost', outstanding: 2500 },
      { id: 'F2', patronId: 'P3', kind: 'lost', outstanding: 0 },
      { id: 'F3', patronId: 'P3', kind: 'overdue', outstanding: 100 },
    ];
    expect(dueNotices(inputs({ fees }))).toEqual([
      { patronId: 'P3', subjectId: 'F1', kind: 'lost_bill', level: '1', template: 'lost_bill' },
    ]);
  });
});

describe('what a notice says', () => {
  it('fills placeholders and leaves none in braces', () => {
    const r = renderNotice(
      { subject: 'Hi {{ firstName }}\n', body: '{{title}} due {{dueDate}} {{unknown}}' },
      { firstName: 'Ana', title: 'Dune', dueDate: '2 de diciembre de 2026' },
    );
    expect(r).toEqual({ subject: 'Hi Ana', body: 'Dune due 2 de diciembre de 2026 ' });
  });

  it('names unknown placeholders, so a typo is refused when the template is saved', () => {
    expect(unknownPlaceholders('Dear {{fristName}}, {{title}} {{ dueDate }}')).toEqual(['fristName']);
  });

  it('writes dates in the patron language, and the date does not move with the zone', () => {
    expect(formatNoticeDate('2026-12-02', 'es-US')).toBe('2 de diciembre de 2026');
    expect(formatNoticeDate('2026-12-02', 'en-US')).toBe('December 2, 2026');
  });

  it('chooses email when the patron has an address, print otherwise or when they asked for it', () => {
    expect(noticeChannelOf({ email: 'a@b.example', noticeChannel: null })).toBe('email');
    expect(noticeChannelOf({ email: null, noticeChannel: null })).toBe('print');
    expect(noticeChannelOf({ email: 'a@b.example', noticeChannel: 'print' })).toBe('print');
    expect(noticeChannelOf({ email: null, noticeChannel: 'email' })).toBe('print');
    expect(noticeLanguageOf({ language: 'es' }, 'en-US')).toBe('es');
    expect(noticeLanguageOf({ language: null }, 'es-MX')).toBe('es');
    expect(noticeLanguageOf({ language: 'fr' }, 'en-US')).toBe('en');
  });

  it('keeps the defaults for templates a stored document lacks, and checks overdue days', () => {
    const s = withNoticeDefaults({
      enabled: true,
      templates: { courtesy: { es: { subject: 'x', body: 'y' } } } as never,
    });
    expect(s.templates.courtesy.es.subject).toBe('x');
    expect(s.templates.courtesy.en.subject).toContain('due soon');
    expect(s.templates.lost_bill.es.body).toContain('perdido');
    expect(validOverdueDays([1, 7, 21])).toBe(true);
    expect(validOverdueDays([7, 7])).toBe(false);
    expect(validOverdueDays([0])).toBe(false);
    expect(validOverdueDays([1, 2, 3, 4])).toBe(false);
  });
});
