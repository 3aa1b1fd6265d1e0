// Notices that reach patrons: the outbox. One pass (run) does, in order:
//
// 1. Makes the notices that are due (src/domain/notices.ts decides which) and do not exist yet:
//    each key (patron, kind, subject, level) once, checked inside the same transaction that
//    writes the new rows and their journal entry. Only the sending station makes notices
//    (settings.senderStationId; the station an administrator saves the settings at, unless they
//    pick another), so two desks never both make or send one.
// 2. Cancels queued notices no longer due (the book came back before the letter went out) and
//    drops the loan from notices whose loan has lost its patron (privacy: no reading history).
// 3. Sends the queued email notices that are due for a try, through the library's SMTP server.
//
// Never sent twice: before the SMTP conversation starts, the notice's outbox row is set to
// `sending` and committed. If the station dies before it records the answer, the next start
// finds it `sending` and marks the notice `uncertain` for staff to look at (the Message-ID,
// derived from the notice's id, is what to look for in the mail server's log, and what a mail
// client deduplicates on), rather than send it again by itself. Never lost: a server that is
// down or refuses for now leaves the notice queued, tried again with back-off; a server that
// refuses the address for good turns the notice into a printed letter.
//
// The notice rows carry no text: the message is rendered at the moment it is sent, from the
// library's templates, in the patron's language, dates in the branch's zone.
import { formatMoney } from '../domain/money';
import {
  dueNotices,
  formatNoticeDate,
  noticeChannelOf,
  noticeKey,
  noticeLanguageOf,
  noticeLocale,
  renderNotice,
  withNoticeDefaults,
  type BranchCalendar,
  type DueNotice,
  type NoticeKind,
  type NoticeLanguage,
  type NoticeSettings,
  type NoticeTemplate,
  type NoticeTemplateKey,
  type NoticeValues,
} from '../domain/notices';
import { localDateOf } from '../domain/time';
import type { Patron } from '../domain/types';
import { runCommand, SYSTEM, type Actor, type Tx } from './command';
import type { ServiceContext } from './context';
import {
  copyForNotice,
  dropFromOutbox,
  emailNoticesDue,
  enqueueNotice,
  feeForNotice,
  holdForNotice,
  lastOutboxError,
  lettersQueued,
  loanForNotice,
  loanNoticesToUnlink,
  markSending,
  noticeCounts,
  noticeKeyExists,
  noticesLeftSending,
  noticesNeedingAttention,
  noticesOfPatron,
  noticeSubjects,
  outboxAttempts,
  queuedNotices,
  recordForNotice,
  requeueNotice,
  retryLater,
  storedSettingsValue,
} from '../store/queries/notices';
import { deleteStationState } from '../store/queries/station-state';
import { invalid, notFound, ServiceError } from './errors';
import { lettersHtml } from './notice-letters';
import { smtpSender, type MailSender } from './notice-mail';
import { COMMAND } from '../domain/commands';

export type NoticeStatus = 'queued' | 'sent' | 'printed' | 'failed' | 'uncertain' | 'cancelled';

export interface NoticeRow {
  id: string;
  patronId: string;
  kind: NoticeKind;
  subjectId: string | null;
  level: string;
  noticeKey: string;
  channel: 'email' | 'print';
  language: string;
  status: NoticeStatus;
  messageId: string | null;
  error: string | null;
  stationId: string;
  createdAt: number;
  sentAt: number | null;
}

export interface NoticeRunResult {
  /** Why nothing was done: notices are off, or another station sends them. */
  skipped: 'disabled' | 'not_sender' | null;
  created: number;
  cancelled: number;
  sent: number;
  /** Still queued after this pass: the server did not take them (yet), or letters to print. */
  waiting: number;
  toPrint: number;
  failed: number;
  uncertain: number;
  lastError: string | null;
}

export interface RenderedNotice {
  subject: string;
  body: string;
  to: string | null;
  /** The patron's name and postal address, for the envelope's window. */
  addressLines: string[];
}

const SETTINGS_ID = 'notices';
/** This station's SMTP password: station state, never synced, never journaled, never in an API answer. */
export const SMTP_PASSWORD_KEY = 'notices_smtp_password';
/** Email notices tried per pass; the rest wait for the next one. */
const SEND_BATCH = 50;
/** Back-off after each failed try: 1, 2, 4 ... minutes, at most an hour. */
export const retryDelayMs = (attempts: number): number =>
  Math.min(60 * 60_000, 60_000 * 2 ** Math.max(0, attempts - 1));

export class NoticeService {
  /** A pass at a time: the scheduler and "Send now" may ask at once. */
  private running: Promise<NoticeRunResult> | null = null;
  private lastRun: { at: number; result: NoticeRunResult } | null = null;

  constructor(
    private readonly ctx: ServiceContext,
    /** Tests and the CLI may give another sender; the station uses the SMTP settings. */
    private readonly senderFor: (settings: NoticeSettings, password: string | null) => MailSender | null = (s, p) =>
      s.smtp ? smtpSender(s.smtp, p) : null,
  ) {}

  // --- settings ---------------------------------------------------------------------------------

  settings(): NoticeSettings {
    const raw = storedSettingsValue(this.ctx, SETTINGS_ID);
    if (!raw) return withNoticeDefaults(null);
    try {
      return withNoticeDefaults(JSON.parse(raw) as Partial<NoticeSettings>);
    } catch {
      return withNoticeDefaults(null);
    }
  }

  /** The settings, and what this station knows of itself: whether it sends, and whether it has the SMTP password. */
  view() {
    const settings = this.settings();
    return {
      settings,
      stationId: this.ctx.stationId,
      isSender: this.isSender(settings),
      smtpPasswordSet: this.ctx.readState(SMTP_PASSWORD_KEY) !== null,
      lastRun: this.lastRun,
    };
  }

  /**
   * Saves the library's notice settings (journaled, synced to every station). Saving them at a
   * station when no sender is named makes that station the sender. The SMTP password, if given,
   * stays on this station only.
   */
  saveSettings(next: NoticeSettings, actor: Actor, smtpPassword?: string | null) {
    const settings = withNoticeDefaults({ ...next, senderStationId: next.senderStationId ?? this.ctx.stationId });
    runCommand(
      this.ctx,
      { command: COMMAND.notices.saveSettings, input: settings, actor, summary: 'edit notice settings' },
      (tx) => {
        tx.upsert('settings', { id: SETTINGS_ID, value: JSON.stringify(settings) });
      },
    );
    if (smtpPassword !== undefined) this.setSmtpPassword(smtpPassword);
    return this.view();
  }

  /** Keeps the SMTP password on this station (null forgets it). Not journaled: it never leaves the machine. */
  setSmtpPassword(password: string | null): void {
    if (password === null || password === '') {
      deleteStationState(this.ctx, SMTP_PASSWORD_KEY);
      return;
    }
    if (password.length > 500 || /[\r\n]/.test(password))
      throw invalid('The SMTP password is one line of at most 500 characters.');
    this.ctx.writeState(SMTP_PASSWORD_KEY, password);
  }

  isSender(settings = this.settings()): boolean {
    return settings.senderStationId === this.ctx.stationId;
  }

  // --- the pass ---------------------------------------------------------------------------------

  /** One notice pass (see the top of this file); concurrent calls share the pass under way. */
  run(): Promise<NoticeRunResult> {
    this.running ??= this.pass().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async pass(): Promise<NoticeRunResult> {
    const settings = this.settings();
    const result: NoticeRunResult = {
      skipped: null,
      created: 0,
      cancelled: 0,
      sent: 0,
      waiting: 0,
      toPrint: 0,
      failed: 0,
      uncertain: 0,
      lastError: null,
    };
    if (!settings.enabled) result.skipped = 'disabled';
    else if (!this.isSender(settings)) result.skipped = 'not_sender';
    if (result.skipped) return this.finish(result);
    this.recoverInterrupted();
    const made = this.makeDueNotices(settings);
    result.created = made.created;
    result.cancelled = made.cancelled;
    const sender = this.senderFor(settings, this.ctx.readState(SMTP_PASSWORD_KEY));
    if (sender) {
      for (const row of this.dueForSending()) {
        const outcome = await this.sendOne(row, settings, sender);
        if (outcome === 'sent') result.sent++;
        else if (outcome === 'stop') break;
      }
    }
    return this.finish(result);
  }

  private finish(result: NoticeRunResult): NoticeRunResult {
    const counts = this.counts();
    result.waiting = counts.queuedEmail;
    result.toPrint = counts.queuedPrint;
    result.failed = counts.failed;
    result.uncertain = counts.uncertain;
    result.lastError = lastOutboxError(this.ctx) ?? null;
    this.lastRun = { at: this.ctx.now(), result };
    return result;
  }

  counts() {
    return noticeCounts(this.ctx);
  }

  /**
   * A notice left `sending` by a station that stopped mid-conversation: the server may or may not
   * have it. Marked uncertain, for staff to check by its Message-ID and send again if need be.
   */
  recoverInterrupted(): number {
    const stuck = noticesLeftSending(this.ctx);
    if (stuck.length === 0) return 0;
    runCommand(
      this.ctx,
      {
        command: COMMAND.notices.record,
        input: { uncertain: stuck },
        actor: SYSTEM,
        summary: `${stuck.length} notices interrupted while sending`,
      },
      (tx) => {
        for (const id of stuck) {
          const notice = this.ctx.rows.get<NoticeRow>('notices', id);
          dropFromOutbox(this.ctx, id);
          if (notice && notice.status === 'queued') {
            tx.upsert('notices', {
              ...notice,
              status: 'uncertain',
              error:
                'The station stopped while handing this notice to the mail server: it may have been sent. Look for its Message-ID in the server log.',
            });
          }
        }
      },
    );
    return stuck.length;
  }

  private calendars(): Map<string, BranchCalendar> {
    const cfg = this.ctx.config.get();
    return new Map(
      [...cfg.branches.values()].map((b) => [
        b.id,
        { timeZone: b.timeZone, closedDays: cfg.closedDays.get(b.id) ?? [] },
      ]),
    );
  }

  private currentDue(settings: NoticeSettings): DueNotice[] {
    const subjects = noticeSubjects(this.ctx);
    return dueNotices({
      now: this.ctx.now(),
      settings,
      calendars: this.calendars(),
      loans: subjects.loans as never,
      holds: subjects.holds as never,
      fees: subjects.fees as never,
    });
  }

  /** Steps 1 and 2: new notices, stale ones cancelled, loans unlinked; one journal entry for all of it. */
  makeDueNotices(settings = this.settings()): { created: number; cancelled: number; unlinked: number } {
    const due = this.currentDue(settings);
    const dueKeys = new Set(due.map(noticeKey));
    const exists = noticeKeyExists(this.ctx);
    const fresh = due.filter((d) => !exists(noticeKey(d)));
    const stale = queuedNotices<NoticeRow>(this.ctx).filter((n) => !dueKeys.has(n.noticeKey));
    // Loan notices whose loan no longer names its patron (returned and unlinked): the link goes.
    const unlink = loanNoticesToUnlink<NoticeRow>(this.ctx);
    if (fresh.length === 0 && stale.length === 0 && unlink.length === 0)
      return { created: 0, cancelled: 0, unlinked: 0 };
    const now = this.ctx.now();
    const locale = this.ctx.config.get().settings.locale;
    let created = 0;
    runCommand(
      this.ctx,
      {
        command: COMMAND.notices.record,
        input: { pass: true },
        actor: SYSTEM,
        summary: `notices: ${fresh.length} new, ${stale.length} no longer due`,
      },
      (tx) => {
        for (const d of fresh) {
          // Checked again inside the transaction: the key is made once.
          if (exists(noticeKey(d))) continue;
          const patron = this.ctx.rows.get<Patron>('patrons', d.patronId);
          if (!patron) continue;
          const id = this.ctx.newId();
          tx.insert('notices', {
            id,
            patronId: d.patronId,
            kind: d.kind,
            subjectId: d.subjectId,
            level: d.level,
            noticeKey: noticeKey(d),
            channel: noticeChannelOf({ email: patron.email, noticeChannel: patron.noticeChannel ?? null }),
            language: noticeLanguageOf({ language: patron.language ?? null }, locale),
            status: 'queued',
            messageId: null,
            error: null,
            stationId: this.ctx.stationId,
            createdAt: now,
            sentAt: null,
          } satisfies NoticeRow);
          enqueueNotice(this.ctx, id, now);
          created++;
        }
        for (const n of stale) {
          tx.upsert('notices', { ...n, status: 'cancelled', error: null });
          dropFromOutbox(this.ctx, n.id);
        }
        for (const n of unlink)
          tx.upsert('notices', { ...n, subjectId: null, noticeKey: `${n.patronId}|${n.kind}|-${n.id}|${n.level}` });
      },
    );
    return { created, cancelled: stale.length, unlinked: unlink.length };
  }

  private dueForSending(): NoticeRow[] {
    return emailNoticesDue<NoticeRow>(this.ctx, this.ctx.now(), SEND_BATCH);
  }

  /** Step 3 for one notice. 'stop': the server is away; the rest of the batch waits too. */
  private async sendOne(
    notice: NoticeRow,
    settings: NoticeSettings,
    sender: MailSender,
  ): Promise<'sent' | 'later' | 'stop' | 'print'> {
    const rendered = this.render(notice, settings);
    if (!rendered.to) return this.toPrint(notice, 'The patron has no email address any more.');
    const messageId = messageIdFor(notice.id, settings.smtp!.from);
    // Committed before a byte goes to the server (see the top of this file).
    if (!markSending(this.ctx, notice.id)) return 'later';
    const outcome = await sender.send({
      to: rendered.to,
      subject: rendered.subject,
      text: rendered.body,
      messageId,
      language: notice.language,
    });
    const current = this.ctx.rows.get<NoticeRow>('notices', notice.id)!;
    if (outcome.ok) {
      runCommand(
        this.ctx,
        {
          command: COMMAND.notices.record,
          input: { sent: notice.id },
          actor: SYSTEM,
          summary: `notice ${notice.kind} emailed`,
        },
        (tx) => {
          dropFromOutbox(this.ctx, notice.id);
          tx.upsert('notices', { ...current, status: 'sent', sentAt: this.ctx.now(), messageId, error: null });
        },
      );
      return 'sent';
    }
    if (outcome.kind === 'permanent')
      return this.toPrint(current, `The mail server refused it: ${outcome.error}`, messageId);
    if (outcome.kind === 'uncertain') {
      runCommand(
        this.ctx,
        {
          command: COMMAND.notices.record,
          input: { uncertain: [notice.id] },
          actor: SYSTEM,
          summary: 'notice may have been sent',
        },
        (tx) => {
          dropFromOutbox(this.ctx, notice.id);
          tx.upsert('notices', {
            ...current,
            status: 'uncertain',
            messageId,
            error: `The connection broke while the message was handed over: it may have been sent (${outcome.error}).`,
          });
        },
      );
      return 'later';
    }
    const attempts = outboxAttempts(this.ctx, notice.id) ?? 1;
    retryLater(this.ctx, notice.id, this.ctx.now() + retryDelayMs(attempts), outcome.error);
    return 'stop';
  }

  /** An email that cannot go (no address, refused for good) becomes a letter: never lost. */
  private toPrint(notice: NoticeRow, why: string, messageId: string | null = null): 'print' {
    runCommand(
      this.ctx,
      {
        command: COMMAND.notices.record,
        input: { toPrint: notice.id },
        actor: SYSTEM,
        summary: 'email notice turned into a letter',
      },
      (tx) => {
        dropFromOutbox(this.ctx, notice.id);
        tx.upsert('notices', { ...notice, channel: 'print', messageId, error: why });
      },
    );
    return 'print';
  }

  // --- what a notice says -----------------------------------------------------------------------

  render(notice: NoticeRow, settings = this.settings()): RenderedNotice {
    const patron = this.ctx.rows.get<Patron>('patrons', notice.patronId);
    if (!patron) throw notFound('Patron');
    const template = templateFor(settings, notice);
    const values = this.valuesFor(notice, patron, notice.language as NoticeLanguage);
    const { subject, body } = renderNotice(template, values);
    return {
      subject,
      body,
      to: patron.email,
      addressLines: [
        `${patron.firstName} ${patron.lastName}`,
        ...(patron.address ?? '')
          .split(/\r?\n/)
          .map((l) => l.trim())
          .filter(Boolean),
      ],
    };
  }

  private valuesFor(notice: NoticeRow, patron: Patron, language: NoticeLanguage): NoticeValues {
    const cfg = this.ctx.config.get();
    const locale = noticeLocale(language, cfg.settings.locale);
    const values: NoticeValues = {
      firstName: patron.firstName,
      lastName: patron.lastName,
      libraryName: cfg.settings.name,
    };
    const branchName = (id: string | null | undefined) => (id ? cfg.branches.get(id)?.name : undefined);
    const titleOf = (itemId: string | null) => {
      if (!itemId) return {};
      const row = copyForNotice(this.ctx, itemId);
      return row ? { title: row.title, author: row.author ?? '', barcode: row.barcode } : {};
    };
    values.branchName = branchName(patron.homeBranchId);
    if ((notice.kind === 'courtesy' || notice.kind === 'overdue') && notice.subjectId) {
      const loan = loanForNotice(this.ctx, notice.subjectId);
      if (loan) {
        const zone = cfg.branches.get(loan.branchId)?.timeZone ?? 'UTC';
        Object.assign(values, titleOf(loan.itemId), {
          branchName: branchName(loan.branchId),
          dueDate: formatNoticeDate(localDateOf(loan.dueAt, zone), locale),
        });
        const days = notice.kind === 'overdue' ? this.daysOverdue(notice) : undefined;
        if (days !== undefined) values.daysOverdue = String(days);
      }
    } else if ((notice.kind === 'hold_ready' || notice.kind === 'hold_expiring') && notice.subjectId) {
      const hold = holdForNotice(this.ctx, notice.subjectId);
      if (hold) {
        const record = recordForNotice(this.ctx, hold.recordId);
        Object.assign(
          values,
          titleOf(hold.itemId),
          { title: record?.title, author: record?.author ?? '' },
          { pickupBranch: branchName(hold.pickupBranchId), branchName: branchName(hold.pickupBranchId) },
        );
        if (hold.shelfExpiresOn) values.expiresOn = formatNoticeDate(hold.shelfExpiresOn, locale);
      }
    } else if (notice.kind === 'lost_bill' && notice.subjectId) {
      const fee = feeForNotice(this.ctx, notice.subjectId);
      if (fee)
        Object.assign(values, titleOf(fee.itemId), { amount: formatMoney(fee.outstanding, fee.currency, locale) });
    }
    return values;
  }

  /** Open days overdue as the level was reached: the level's text says "#n"; the days are counted now. */
  private daysOverdue(notice: NoticeRow): number | undefined {
    const found = this.currentDue(this.settings()).find(
      (d) => d.subjectId === notice.subjectId && d.kind === 'overdue',
    );
    return found?.daysOverdue;
  }

  /** A template rendered with sample values, for Settings › Notices' preview. */
  preview(template: NoticeTemplate, language: NoticeLanguage): { subject: string; body: string } {
    const cfg = this.ctx.config.get();
    const locale = noticeLocale(language, cfg.settings.locale);
    const branch = cfg.branches.get(this.ctx.readState('branch_id') ?? '');
    const zone = branch?.timeZone ?? 'UTC';
    const today = localDateOf(this.ctx.now(), zone);
    return renderNotice(template, {
      firstName: language === 'es' ? 'Ana' : 'Ann',
      lastName: language === 'es' ? 'García' : 'Reader',
      libraryName: cfg.settings.name,
      branchName: branch?.name ?? '',
      pickupBranch: branch?.name ?? '',
      title: language === 'es' ? 'Cien años de soledad' : 'The Left Hand of Darkness',
      author: language === 'es' ? 'Gabriel García Márquez' : 'Ursula K. Le Guin',
      barcode: '31234000012345',
      dueDate: formatNoticeDate(today, locale),
      expiresOn: formatNoticeDate(today, locale),
      daysOverdue: '7',
      amount: formatMoney(2500, cfg.settings.currency, locale),
    });
  }

  // --- letters, history, staff actions ----------------------------------------------------------

  /** Queued letters (print notices), oldest first. */
  lettersToPrint(): NoticeRow[] {
    return lettersQueued<NoticeRow>(this.ctx);
  }

  /** The queued letters as one printable page (HTML, one letter a page), with their ids to mark printed once out. */
  lettersPage(): { html: string; ids: string[] } {
    const settings = this.settings();
    const cfg = this.ctx.config.get();
    const branch = cfg.branches.get(this.ctx.readState('branch_id') ?? '');
    const today = localDateOf(this.ctx.now(), branch?.timeZone ?? 'UTC');
    const rows = this.lettersToPrint();
    const letters = rows.map((n) => {
      const r = this.render(n, settings);
      return {
        id: n.id,
        language: n.language,
        addressLines: r.addressLines,
        rendered: { subject: r.subject, body: r.body },
        date: formatNoticeDate(today, noticeLocale(n.language as NoticeLanguage, cfg.settings.locale)),
      };
    });
    const html = lettersHtml(letters, {
      libraryName: cfg.settings.name,
      returnAddress: [cfg.settings.name, branch?.name].filter(Boolean).join(' · '),
      locale: cfg.settings.locale,
      title: `${cfg.settings.name}: notices`,
    });
    return { html, ids: rows.map((r) => r.id) };
  }

  /** Marks letters as printed (staff, after the print came out): journaled, shown on the patron. */
  markPrinted(ids: string[], actor: Actor): number {
    let n = 0;
    runCommand(
      this.ctx,
      { command: COMMAND.notices.markPrinted, input: { ids }, actor, summary: `${ids.length} notice letters printed` },
      (tx) => {
        for (const id of ids) {
          const notice = this.ctx.rows.get<NoticeRow>('notices', id);
          if (!notice) throw notFound('Notice');
          if (notice.channel !== 'print' || notice.status !== 'queued')
            throw new ServiceError('CONFLICT', 'That notice is not a letter waiting to be printed.');
          dropFromOutbox(this.ctx, id);
          tx.upsert('notices', { ...notice, status: 'printed', sentAt: this.ctx.now() });
          n++;
        }
      },
    );
    return n;
  }

  /**
   * Staff send again a notice that failed or may not have gone (uncertain): by email when the
   * patron has an address and wants email, else as a letter. Same id, same Message-ID.
   */
  retry(id: string, actor: Actor): NoticeRow {
    const notice = this.ctx.rows.get<NoticeRow>('notices', id);
    if (!notice) throw notFound('Notice');
    if (notice.status !== 'uncertain' && notice.status !== 'failed')
      throw new ServiceError('CONFLICT', 'Only a notice that failed or may not have been sent can be sent again.');
    const patron = this.ctx.rows.get<Patron>('patrons', notice.patronId);
    const channel = patron
      ? noticeChannelOf({ email: patron.email, noticeChannel: patron.noticeChannel ?? null })
      : 'print';
    const next: NoticeRow = { ...notice, status: 'queued', channel, error: null };
    runCommand(
      this.ctx,
      { command: COMMAND.notices.retry, input: { id }, actor, summary: 'notice sent again' },
      (tx: Tx) => {
        tx.upsert('notices', next);
        requeueNotice(this.ctx, id, this.ctx.now());
      },
    );
    return next;
  }

  /** A patron's notices, newest first: what went out, how, and when. */
  forPatron(patronId: string): NoticeRow[] {
    return noticesOfPatron<NoticeRow>(this.ctx, patronId);
  }

  /** Notices needing staff: failed, uncertain. */
  needingAttention(): NoticeRow[] {
    return noticesNeedingAttention<NoticeRow>(this.ctx);
  }
}

export function templateFor(
  settings: NoticeSettings,
  notice: Pick<NoticeRow, 'kind' | 'level' | 'language'>,
): NoticeTemplate {
  let key: NoticeTemplateKey;
  if (notice.kind === 'overdue') {
    const level = Number(notice.level.split('#')[1] ?? '1');
    key =
      level >= settings.overdueDays.length
        ? 'overdue_3'
        : (`overdue_${Math.min(3, Math.max(1, level))}` as NoticeTemplateKey);
  } else key = notice.kind;
  return settings.templates[key][
    (notice.language as NoticeLanguage) in settings.templates[key] ? (notice.language as NoticeLanguage) : 'en'
  ];
}

/** `<notice-<id>@<the From address's domain>>`: one per notice, the same on every try. */
export function messageIdFor(noticeId: string, from: string): string {
  const domain = /@([A-Za-z0-9.-]+)/.exec(from)?.[1] ?? 'circa.invalid';
  return `<notice-${noticeId}@${domain}>`;
}
