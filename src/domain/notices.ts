// Notices that reach patrons: which are due, and what they say. Pure: the station's notice pass
// (src/services/notices.ts) gives it the open loans, waiting holds and lost-item bills with the
// library's notice settings and the time, and gets back the notices that should exist. Whether
// one already does (and so is not made again) is the service's business: every notice has a key
// (patron, kind, subject, level) and a key is made once.
//
// Days are counted in the calendar of the branch the loan was made at (the hold's pickup branch):
// "3 days overdue" is three OPEN days after the due date, so a notice does not go out on the
// Monday after a closed weekend saying the book is three days late when the library could not
// take it back for two of them.
import { isClosed, openDaysBetween } from './calendar';
import { addDays, localDateOf } from './time';
import {
  PATRON_LANGUAGES,
  type ClosedDay,
  type Id,
  type Instant,
  type LocalDate,
  type NoticeChannel,
  type PatronLanguage,
} from './types';

export const NOTICE_KINDS = ['courtesy', 'overdue', 'hold_ready', 'hold_expiring', 'lost_bill'] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];

/** One template per kind, the overdue kind one per level. */
export const NOTICE_TEMPLATE_KEYS = [
  'courtesy',
  'overdue_1',
  'overdue_2',
  'overdue_3',
  'hold_ready',
  'hold_expiring',
  'lost_bill',
] as const;
export type NoticeTemplateKey = (typeof NOTICE_TEMPLATE_KEYS)[number];

/** A notice is in its patron's language (src/domain/types.ts) and goes by a patron's channel. */
export const NOTICE_LANGUAGES = PATRON_LANGUAGES;
export type NoticeLanguage = PatronLanguage;
export type { NoticeChannel };

export interface NoticeTemplate {
  subject: string;
  body: string;
}

export type NoticeTemplates = Record<NoticeTemplateKey, Record<NoticeLanguage, NoticeTemplate>>;

/** The library's SMTP server. The password is not here: it is a secret of the sending station (src/services/notices.ts). */
export interface SmtpSettings {
  host: string;
  port: number;
  /** TLS from the first byte (port 465); otherwise STARTTLS when the server offers it. */
  secure: boolean;
  user: string | null;
  /** The From address, e.g. "County Library <circulation@library.example>". */
  from: string;
}

/** Settings › Notices: a synced settings document (id `notices`), changed by an administrator. */
export interface NoticeSettings {
  enabled: boolean;
  /** A courtesy notice this many open days before the due date; null for none. */
  courtesyDaysBefore: number | null;
  /** Open days after the due date for the first, second and final overdue notice (ascending; fewer levels allowed). */
  overdueDays: number[];
  holdReady: boolean;
  /** A reminder this many open days before a waiting hold leaves the shelf; null for none. */
  holdExpiringDaysBefore: number | null;
  lostBills: boolean;
  /**
   * The one station that makes and sends notices, so that two desks never both do. Null until an
   * administrator saves the settings somewhere: the station they save them at becomes the sender.
   */
  senderStationId: string | null;
  smtp: SmtpSettings | null;
  templates: NoticeTemplates;
}

/** The placeholders a template may use, filled in by renderNotice. */
export const NOTICE_PLACEHOLDERS = [
  'firstName',
  'lastName',
  'libraryName',
  'branchName',
  'title',
  'author',
  'barcode',
  'dueDate',
  'daysOverdue',
  'pickupBranch',
  'expiresOn',
  'amount',
] as const;
export type NoticePlaceholder = (typeof NOTICE_PLACEHOLDERS)[number];

const t = (subject: string, body: string): NoticeTemplate => ({ subject, body });

export const DEFAULT_NOTICE_TEMPLATES: NoticeTemplates = {
  courtesy: {
    en: t(
      '{{libraryName}}: due soon',
      'Dear {{firstName}},\n\n"{{title}}" is due back on {{dueDate}}. You can renew it at the desk or at the self-checkout.\n\n{{branchName}}',
    ),
    es: t(
      '{{libraryName}}: vence pronto',
      'Estimado/a {{firstName}}:\n\n"{{title}}" debe devolverse el {{dueDate}}. Puede renovarlo en el mostrador o en el autopréstamo.\n\n{{branchName}}',
    ),
  },
  overdue_1: {
    en: t(
      '{{libraryName}}: overdue',
      'Dear {{firstName}},\n\n"{{title}}" was due on {{dueDate}} and is now {{daysOverdue}} days overdue. Please return or renew it.\n\n{{branchName}}',
    ),
    es: t(
      '{{libraryName}}: préstamo vencido',
      'Estimado/a {{firstName}}:\n\n"{{title}}" debía devolverse el {{dueDate}} y lleva {{daysOverdue}} días de retraso. Por favor, devuélvalo o renuévelo.\n\n{{branchName}}',
    ),
  },
  overdue_2: {
    en: t(
      '{{libraryName}}: second overdue notice',
      'Dear {{firstName}},\n\n"{{title}}", due on {{dueDate}}, is {{daysOverdue}} days overdue. Please return it as soon as you can.\n\n{{branchName}}',
    ),
    es: t(
      '{{libraryName}}: segundo aviso de retraso',
      'Estimado/a {{firstName}}:\n\n"{{title}}", que vencía el {{dueDate}}, lleva {{daysOverdue}} días de retraso. Por favor, devuélvalo cuanto antes.\n\n{{branchName}}',
    ),
  },
  overdue_3: {
    en: t(
      '{{libraryName}}: final overdue notice',
      'Dear {{firstName}},\n\nThis is our final notice: "{{title}}" was due on {{dueDate}} ({{daysOverdue}} days ago). If it is not returned it will be billed as lost.\n\n{{branchName}}',
    ),
    es: t(
      '{{libraryName}}: último aviso de retraso',
      'Estimado/a {{firstName}}:\n\nÚltimo aviso: "{{title}}" debía devolverse el {{dueDate}} (hace {{daysOverdue}} días). Si no se devuelve, se le cobrará como perdido.\n\n{{branchName}}',
    ),
  },
  hold_ready: {
    en: t(
      '{{libraryName}}: your hold is ready',
      'Dear {{firstName}},\n\n"{{title}}" is waiting for you at {{pickupBranch}} until {{expiresOn}}.\n\n{{libraryName}}',
    ),
    es: t(
      '{{libraryName}}: su reserva está lista',
      'Estimado/a {{firstName}}:\n\n"{{title}}" le espera en {{pickupBranch}} hasta el {{expiresOn}}.\n\n{{libraryName}}',
    ),
  },
  hold_expiring: {
    en: t(
      '{{libraryName}}: your hold is about to expire',
      'Dear {{firstName}},\n\n"{{title}}" is still waiting for you at {{pickupBranch}}, but only until {{expiresOn}}.\n\n{{libraryName}}',
    ),
    es: t(
      '{{libraryName}}: su reserva está a punto de caducar',
      'Estimado/a {{firstName}}:\n\n"{{title}}" sigue esperándole en {{pickupBranch}}, pero solo hasta el {{expiresOn}}.\n\n{{libraryName}}',
    ),
  },
  lost_bill: {
    en: t(
      '{{libraryName}}: bill for a lost item',
      'Dear {{firstName}},\n\n"{{title}}" ({{barcode}}) is recorded as lost. You owe {{amount}} for it. If you find it, bring it back and the charge will be looked at again.\n\n{{branchName}}',
    ),
    es: t(
      '{{libraryName}}: factura por un documento perdido',
      'Estimado/a {{firstName}}:\n\n"{{title}}" ({{barcode}}) consta como perdido. Debe {{amount}} por él. Si lo encuentra, devuélvalo y revisaremos el cargo.\n\n{{branchName}}',
    ),
  },
};

export const DEFAULT_NOTICE_SETTINGS: NoticeSettings = {
  enabled: false,
  courtesyDaysBefore: 2,
  overdueDays: [1, 7, 21],
  holdReady: true,
  holdExpiringDaysBefore: 2,
  lostBills: true,
  senderStationId: null,
  smtp: null,
  templates: DEFAULT_NOTICE_TEMPLATES,
};

/** The stored document over the defaults: templates merged per key and language, so a new kind gets its default text. */
export function withNoticeDefaults(stored: Partial<NoticeSettings> | null | undefined): NoticeSettings {
  const s = stored ?? {};
  const templates = {} as NoticeTemplates;
  for (const key of NOTICE_TEMPLATE_KEYS) {
    templates[key] = { ...DEFAULT_NOTICE_TEMPLATES[key], ...(s.templates?.[key] ?? {}) };
  }
  return { ...DEFAULT_NOTICE_SETTINGS, ...s, templates };
}

/** Placeholders a template names that renderNotice does not know ("{{fristName}}"): a typo the library should hear of when saving. */
export function unknownPlaceholders(text: string): string[] {
  const known = new Set<string>(NOTICE_PLACEHOLDERS);
  return [...text.matchAll(/\{\{\s*([^}]*?)\s*\}\}/g)].map((m) => m[1]!).filter((name) => !known.has(name));
}

/** Whether the overdue days are 1 to 3 ascending whole numbers of at least 1. */
export function validOverdueDays(days: number[]): boolean {
  return (
    days.length <= 3 && days.every((d, i) => Number.isInteger(d) && d >= 1 && d <= 365 && (i === 0 || d > days[i - 1]!))
  );
}

// --- which notices are due ----------------------------------------------------------------------

export interface BranchCalendar {
  timeZone: string;
  closedDays: ClosedDay[];
}

export interface NoticeLoan {
  id: Id;
  patronId: Id;
  branchId: Id;
  dueAt: Instant;
}

export interface NoticeHold {
  id: Id;
  patronId: Id;
  pickupBranchId: Id;
  status: string;
  waitingSince: Instant | null;
  shelfExpiresOn: LocalDate | null;
}

export interface NoticeFee {
  id: Id;
  patronId: Id;
  kind: string;
  outstanding: number;
}

export interface DueNotice {
  patronId: Id;
  kind: NoticeKind;
  /** The loan, hold or fee the notice is about. */
  subjectId: Id;
  /**
   * What makes this notice different from another of the same kind and subject: the due date
   * (and level, for overdue notices), so a renewed loan gets its own notices; the day a hold came
   * to the shelf; `1` for a bill.
   */
  level: string;
  template: NoticeTemplateKey;
  /** For an overdue notice: open days past the due date, as {{daysOverdue}} says. */
  daysOverdue?: number;
}

/** The key that makes a notice once: patron, kind, subject and level. */
export const noticeKey = (n: Pick<DueNotice, 'patronId' | 'kind' | 'subjectId' | 'level'>): string =>
  `${n.patronId}|${n.kind}|${n.subjectId}|${n.level}`;

export interface NoticeInputs {
  now: Instant;
  settings: NoticeSettings;
  calendars: Map<Id, BranchCalendar>;
  loans: NoticeLoan[];
  holds: NoticeHold[];
  fees: NoticeFee[];
}

/**
 * The notices that should exist now. For an overdue loan only the highest level it has reached:
 * a loan found 30 days overdue after the station was away gets the final notice, not all three
 * in one morning.
 */
export function dueNotices(input: NoticeInputs): DueNotice[] {
  const { settings } = input;
  if (!settings.enabled) return [];
  const out: DueNotice[] = [];
  const today = (branchId: Id): { date: LocalDate; cal: BranchCalendar } | null => {
    const cal = input.calendars.get(branchId);
    return cal ? { date: localDateOf(input.now, cal.timeZone), cal } : null;
  };
  for (const loan of input.loans) {
    const at = today(loan.branchId);
    if (!at) continue;
    const dueDate = localDateOf(loan.dueAt, at.cal.timeZone);
    const base = { patronId: loan.patronId, subjectId: loan.id };
    if (loan.dueAt > input.now) {
      if (settings.courtesyDaysBefore === null || dueDate <= at.date) continue;
      // Open days from today to the due date: due "in 2 days" over a closed Sunday is still 2 open days.
      if (openDaysBetween(at.cal.closedDays, at.date, dueDate) <= settings.courtesyDaysBefore) {
        out.push({ ...base, kind: 'courtesy', level: dueDate, template: 'courtesy' });
      }
      continue;
    }
    const late = openDaysBetween(at.cal.closedDays, dueDate, at.date);
    let level = 0;
    settings.overdueDays.forEach((days, i) => {
      if (late >= days) level = i + 1;
    });
    if (level === 0) continue;
    // The last configured level is the final notice, whatever how many the library uses.
    const template: NoticeTemplateKey =
      level === settings.overdueDays.length ? 'overdue_3' : (`overdue_${level}` as NoticeTemplateKey);
    out.push({ ...base, kind: 'overdue', level: `${dueDate}#${level}`, template, daysOverdue: late });
  }
  for (const hold of input.holds) {
    if (hold.status !== 'waiting' || hold.waitingSince === null) continue;
    const at = today(hold.pickupBranchId);
    if (!at) continue;
    const base = { patronId: hold.patronId, subjectId: hold.id };
    if (settings.holdReady)
      out.push({ ...base, kind: 'hold_ready', level: String(hold.waitingSince), template: 'hold_ready' });
    const expires = hold.shelfExpiresOn;
    if (settings.holdExpiringDaysBefore !== null && expires && expires >= at.date && hold.waitingSince < input.now) {
      // The reminder goes out on an open day, and not on the day the hold came in.
      const cameIn = localDateOf(hold.waitingSince, at.cal.timeZone);
      const warnFrom = expiringFrom(at.cal.closedDays, expires, settings.holdExpiringDaysBefore);
      if (at.date >= warnFrom && at.date > cameIn && !isClosed(at.cal.closedDays, at.date)) {
        out.push({ ...base, kind: 'hold_expiring', level: expires, template: 'hold_expiring' });
      }
    }
  }
  if (settings.lostBills) {
    for (const fee of input.fees) {
      if (fee.kind === 'lost' && fee.outstanding > 0)
        out.push({ patronId: fee.patronId, subjectId: fee.id, kind: 'lost_bill', level: '1', template: 'lost_bill' });
    }
  }
  return out;
}

/** The first day of the reminder window: the day from which at most `n` open days are left until the expiry (inclusive). */
function expiringFrom(closedDays: ClosedDay[], expires: LocalDate, n: number): LocalDate {
  let day = expires;
  for (let guard = 0; guard < 731; guard++) {
    const before = addDays(day, -1);
    // Open days in (before, expires]: the days the patron still has if warned on `before`.
    if (openDaysBetween(closedDays, before, expires) > n) break;
    day = before;
  }
  return day;
}

// --- what a notice says -------------------------------------------------------------------------

/** The patron's channel: their choice, else email when they have an address, else a printed letter. */
export function noticeChannelOf(patron: { email: string | null; noticeChannel: NoticeChannel | null }): NoticeChannel {
  const wanted = patron.noticeChannel ?? (patron.email ? 'email' : 'print');
  return wanted === 'email' && !patron.email ? 'print' : wanted;
}

export function noticeLanguageOf(patron: { language: string | null }, libraryLocale: string): NoticeLanguage {
  const lang = (patron.language ?? libraryLocale).slice(0, 2).toLowerCase();
  return (NOTICE_LANGUAGES as readonly string[]).includes(lang) ? (lang as NoticeLanguage) : 'en';
}

/** The locale dates and money are written in: the patron's language with the library's region ("es" + "en-US" = "es-US"). */
export function noticeLocale(language: NoticeLanguage, libraryLocale: string): string {
  const region = libraryLocale.split('-')[1];
  return region ? `${language}-${region}` : language;
}

export function formatNoticeDate(date: LocalDate, locale: string): string {
  // A calendar date, not an instant: formatted at noon UTC in UTC so no zone moves it a day.
  return new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(`${date}T12:00:00Z`));
}

export type NoticeValues = Partial<Record<NoticePlaceholder, string>>;

/** Fills the template's placeholders; one with no value becomes empty rather than showing braces to a patron. */
export function renderNotice(template: NoticeTemplate, values: NoticeValues): NoticeTemplate {
  const fill = (text: string) =>
    text.replace(/\{\{\s*([A-Za-z]+)\s*\}\}/g, (_, name: string) => values[name as NoticePlaceholder] ?? '');
  // A subject is one line whatever a title holds.
  return {
    subject: fill(template.subject)
      .replace(/[\r\n]+/g, ' ')
      .trim(),
    body: fill(template.body),
  };
}
