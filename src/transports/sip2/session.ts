// One SIP2 connection's conversation: each request in, its response out, in order. Every
// request that changes anything calls the same station service the desk calls (one transaction,
// one journal entry, hold trapping, fines, blocks, limits), as the logged-in SIP2 account; this
// file only translates between SIP2's fields and the services' inputs and answers. No rule of
// circulation is decided here.
import type { i18n } from 'i18next';
import { patronStandingRefusals, feesOverLimit } from '../../domain/eligibility';
import { minorUnitDigits, parseMoney } from '../../domain/money';
import { localDateOf } from '../../domain/time';
import type { Sip2Capability } from '../../domain/sip2-capabilities';
import type { Branch, Refusal } from '../../domain/types';
import type { Actor } from '../../services/command';
import { ServiceError } from '../../services/errors';
import type { Sip2Account } from '../../services/sip2-accounts';
import type { PatronSummary } from '../../services/patrons';
import type { CheckinResult } from '../../services/circulation';
import type { StationServices } from '../../station/services';
import {
  bit,
  count4,
  languageCode,
  languageOf,
  parseRequest,
  parseSipDate,
  sipDate,
  SipResponse,
  yn,
  type SipRequest,
} from './messages';

/** Translators by language, made once (i18next instances are cheap to call, slow to make). */
export type Translators = Record<'en' | 'es', i18n>;

/** Circa's item states as SIP2 circulation status codes (18 item information). */
const CIRCULATION_STATUS: Record<string, string> = {
  available: '03',
  on_loan: '04',
  on_hold_shelf: '08',
  in_transit: '10',
  claimed_returned: '11',
  lost: '12',
  missing: '13',
  withdrawn: '01',
};

/** The messages in BX order, with what an account needs for each (null: any logged-in account). */
const SUPPORTED: [string, Sip2Capability | null | false][] = [
  ['23', 'patron_info'],
  ['11', 'checkout'],
  ['09', 'checkin'],
  ['01', 'block'],
  ['99', null],
  ['97', null],
  ['93', null],
  ['63', 'patron_info'],
  ['35', null],
  ['37', 'fees'],
  ['17', null],
  // Circa keeps no item properties (19) and lifts blocks only at the desk (25): answered, not supported.
  ['19', false],
  ['25', false],
  ['15', 'hold'],
  ['29', 'renew'],
  ['65', 'renew'],
];

/** What `pin()` answers when the request carried no PIN: nothing to check, no await. */
const NO_PIN: { valid: boolean | null; why: string[] } = { valid: null, why: [] };

export class Sip2Session {
  private account: Sip2Account | null = null;
  /** The account row as it stood when `account` was read (Sip2AccountService.fingerprint). */
  private accountFingerprint: string | null = null;
  private lastResponse: string | null = null;
  private lastRequest: { line: string; sequence: string } | null = null;
  /** The patron's language, as the self-check last said it (23, 63); else the library's. */
  private language: 'en' | 'es';

  constructor(
    private readonly s: StationServices,
    private readonly translators: Translators,
    /** The self-check's address (its socket's remote address); undefined: not known. Logins and PINs are rate limited by it. */
    private readonly address?: string,
  ) {
    this.language = this.s.ctx.config.get().settings.locale.startsWith('es') ? 'es' : 'en';
  }

  get loggedIn(): Sip2Account | null {
    return this.account;
  }

  /** The response to one request line (its line end taken off), or null for a blank line. */
  async handle(line: string): Promise<string | null> {
    const parsed = parseRequest(line);
    if (!parsed.ok) {
      if (parsed.reason === 'empty') return null;
      // A garbled message: ask for it again (96), with a checksum when this link uses them.
      return this.remember(
        new SipResponse('96').toString(
          this.wantsDetection(parsed.reason === 'checksum') ? { sequence: null } : undefined,
        ),
        false,
      );
    }
    const request = parsed.request;
    if (request.code === '97') return this.lastResponse ?? this.remember(new SipResponse('96').toString(), false);
    // The same message with the same sequence number again: the client did not get our answer.
    if (
      request.sequence !== null &&
      this.lastRequest &&
      this.lastRequest.sequence === request.sequence &&
      this.lastRequest.line === line &&
      this.lastResponse
    ) {
      return this.lastResponse;
    }
    this.refreshAccount();
    let response: SipResponse | null;
    try {
      const answered = this.respond(request);
      // Most requests are answered synchronously: awaited only when there is something to wait for.
      response = answered instanceof Promise ? await answered : answered;
    } catch (error) {
      // A defect: logged without the request (it may hold a PIN), answered as a refusal.
      console.error('sip2: unexpected error', error instanceof Error ? error.stack : String(error));
      response = this.failure(request);
    }
    if (!response) return null;
    const text = response.toString(
      this.wantsDetection(request.hasChecksum) ? { sequence: request.sequence } : undefined,
    );
    this.lastRequest = request.sequence !== null ? { line, sequence: request.sequence } : null;
    return this.remember(text, true);
  }

  /**
   * The account as it stands now: a removed account (or one moved to another branch) is logged
   * out at its next request, and a change of what it may do applies at once, without a reconnect.
   */
  private refreshAccount(): void {
    if (!this.account) return;
    // Read again only when the row changed (here, or by sync): one short indexed look-up per
    // message instead of decoding the account each time.
    const fingerprint = this.s.sip2.fingerprint(this.account.id);
    if (fingerprint !== null && fingerprint === this.accountFingerprint) return;
    const now = this.s.sip2.get(this.account.id);
    this.account = now && now.active && now.branchId === this.s.ctx.identity().branchId ? now : null;
    this.accountFingerprint = this.account ? fingerprint : null;
  }

  private remember(text: string, keep: boolean): string {
    if (keep) this.lastResponse = text;
    return text;
  }

  private wantsDetection(requestHadIt: boolean): boolean {
    return requestHadIt || (this.account?.errorDetection ?? false);
  }

  private respond(r: SipRequest): Promise<SipResponse | null> | SipResponse | null {
    switch (r.code) {
      case '93':
        return this.login(r);
      case '99':
        return this.scStatus();
      case '23':
        return this.patronStatus(r, '24');
      case '63':
        return this.patronInformation(r);
      case '11':
        return this.checkout(r);
      case '09':
        return this.checkin(r);
      case '29':
        return this.renew(r);
      case '65':
        return this.renewAll(r);
      case '17':
        return this.itemInformation(r);
      case '19':
        return this.itemStatusUpdate(r);
      case '15':
        return this.hold(r);
      case '37':
        return this.feePaid(r);
      case '35':
        return this.endSession(r);
      case '01':
        return this.blockPatron(r);
      case '25':
        return this.patronStatus(r, '26');
      default:
        // Unknown messages are ignored.
        return null;
    }
  }

  // --- shared pieces --------------------------------------------------------------------------

  private branch(): Branch {
    const cfg = this.s.ctx.config.get();
    const branchId = this.s.ctx.identity().branchId;
    return cfg.branches.get(branchId) as Branch;
  }

  /** AO: the branch's code. */
  private institution(): string {
    return this.branch().code;
  }

  private date(ms = this.s.ctx.now()): string {
    return sipDate(ms, this.branch().timeZone);
  }

  private may(capability: Sip2Capability | null): boolean {
    if (!this.account) return false;
    return capability === null || this.account.allowed.includes(capability);
  }

  private actor(patronId?: string): Actor {
    const a = this.account as Sip2Account;
    return { kind: 'sip', staffId: null, sip: { accountId: a.id, login: a.login }, ...(patronId ? { patronId } : {}) };
  }

  private t(key: string, params?: Record<string, unknown>): string {
    return this.translators[this.language].t(key, params ?? {}) as string;
  }

  private useLanguage(code: string | undefined): void {
    const lang = languageOf(code);
    if (lang === 'en' || lang === 'es') this.language = lang;
  }

  /** A refusal in the patron's words: the kiosk's when it has one, else the desk's. */
  private refusalText(r: Refusal): string {
    const i = this.translators[this.language];
    const key = i.exists(`kioskRefusals.${r.code}`) ? `kioskRefusals.${r.code}` : `refusals.${r.code}`;
    return i.t(key, { ...r.params, reason: r.params?.reason ?? '' }) as string;
  }

  /** What a failed service call says on the self-check's screen. */
  private errorText(error: unknown): string[] {
    if (error instanceof ServiceError) {
      if (error.refusals) return error.refusals.map((r) => this.refusalText(r));
      if (error.code === 'LOCKED') return [this.t('sip2.locked', { time: this.clock(error.retryAt) })];
      if (error.code === 'RATE_LIMITED') return [this.t('sip2.rateLimited')];
      if (error.code === 'UNAUTHENTICATED') return [this.t('sip2.wrongPin')];
      if (error.code === 'NOT_FOUND') return [this.t('sip2.notFound')];
      if (error.code === 'INVALID' || error.code === 'CONFLICT') return [this.t('sip2.invalid')];
      return [this.t('sip2.seeDesk')];
    }
    console.error('sip2: unexpected error', error instanceof Error ? error.stack : String(error));
    return [this.t('sip2.internal')];
  }

  private clock(ms: number | undefined): string {
    if (ms === undefined) return '';
    return new Intl.DateTimeFormat(this.language, {
      hour: '2-digit',
      minute: '2-digit',
      timeZone: this.branch().timeZone,
    }).format(ms);
  }

  private money(amount: number): string {
    const currency = this.s.ctx.config.get().settings.currency;
    const digits = minorUnitDigits(currency);
    return (amount / 10 ** digits).toFixed(digits);
  }

  private patronRow(card: string | undefined) {
    if (!card) return undefined;
    return this.s.circulation.lookups.patronByCard(card.trim());
  }

  /**
   * The PIN check when AD was sent: true, false (wrong, or locked: with why), or null when no
   * PIN was sent. The kiosk's check, with its lockout.
   */
  private pin(
    r: SipRequest,
  ): Promise<{ valid: boolean | null; why: string[] }> | { valid: boolean | null; why: string[] } {
    const pin = r.fields.get('AD');
    // Most check-outs carry no PIN (the self-check checked it with 63): answered without a hop
    // through the event loop's promise queue.
    if (pin === undefined || pin === '') return NO_PIN;
    return this.checkPin(r.fields.get('AA') ?? '', pin);
  }

  private async checkPin(card: string, pin: string): Promise<{ valid: boolean | null; why: string[] }> {
    try {
      await this.s.auth.checkPatronPin(card, pin, this.address);
      return { valid: true, why: [] };
    } catch (error) {
      if (error instanceof ServiceError) return { valid: false, why: this.errorText(error) };
      throw error;
    }
  }

  private withScreen(resp: SipResponse, messages: string[]): SipResponse {
    for (const m of messages) resp.field('AF', m);
    return resp;
  }

  /**
   * The negative answer of a message, for a request refused before it reached a service.
   * `tell`: whether it may say what the station knows of the card (BL) and the copy (AJ); not to
   * a client that has not logged in, nor to an account refused this message (a sorter asking
   * about cards), so that the SIP2 port is no way to find out which cards exist.
   */
  private failure(r: SipRequest, messages: string[] = [this.t('sip2.internal')], tell = true): SipResponse {
    const now = this.date();
    const ao = this.institution();
    const aa = r.fields.get('AA') ?? '';
    const ab = r.fields.get('AB') ?? '';
    let resp: SipResponse;
    switch (r.code) {
      case '11':
        resp = new SipResponse('12', '0', 'N', 'U', 'N', now)
          .field('AO', ao)
          .field('AA', aa)
          .field('AB', ab)
          .field('AJ', tell ? this.titleOf(ab) : '')
          .field('AH', '')
          .field('BL', yn(tell && !!this.patronRow(aa)));
        break;
      case '09':
        resp = new SipResponse('10', '0', 'Y', 'U', 'N', now).field('AO', ao).field('AB', ab).field('AQ', '');
        break;
      case '29':
        resp = new SipResponse('30', '0', 'N', 'U', 'N', now)
          .field('AO', ao)
          .field('AA', aa)
          .field('AB', ab)
          .field('AJ', tell ? this.titleOf(ab) : '')
          .field('AH', '');
        break;
      case '65':
        resp = new SipResponse('66', '0', '0000', '0000', now).field('AO', ao);
        break;
      case '15':
        resp = new SipResponse('16', '0', 'N', now).field('AO', ao).field('AA', aa);
        break;
      case '37':
        resp = new SipResponse('38', 'N', now).field('AO', ao).field('AA', aa);
        break;
      case '17':
        resp = new SipResponse('18', '01', '00', '01', now).field('AB', ab).field('AJ', '');
        break;
      case '19':
        resp = new SipResponse('20', '0', now).field('AB', ab);
        break;
      case '35':
        resp = new SipResponse('36', 'N', now).field('AO', ao).field('AA', aa);
        break;
      case '23':
      case '25':
      case '01':
      case '63':
      default:
        resp = new SipResponse(
          r.code === '63' ? '64' : r.code === '25' ? '26' : '24',
          'YYYY          ',
          languageCode(this.language),
          now,
        )
          .field('AO', ao)
          .field('AA', aa)
          .field('AE', '')
          .field('BL', 'N');
        break;
    }
    return this.withScreen(resp, messages);
  }

  private notAllowed(r: SipRequest): SipResponse {
    return this.failure(r, [this.t(this.account ? 'sip2.notAllowed' : 'sip2.loginFirst')], false);
  }

  private titleOf(itemBarcode: string): string {
    if (!itemBarcode) return '';
    return this.s.circulation.lookups.deskItemByBarcode(itemBarcode.trim())?.title ?? '';
  }

  // --- 93 login, 99 status, 35 end session -------------------------------------------------------

  private async login(r: SipRequest): Promise<SipResponse> {
    const login = r.fields.get('CN') ?? '';
    const password = r.fields.get('CO') ?? '';
    try {
      this.account = await this.s.sip2.login(login, password, this.address);
      this.accountFingerprint = this.s.sip2.fingerprint(this.account.id);
      return new SipResponse('94', '1');
    } catch (error) {
      if (!(error instanceof ServiceError)) throw error;
      // A failed login leaves the connection open for another try, logged out.
      this.account = null;
      this.accountFingerprint = null;
      return new SipResponse('94', '0');
    }
  }

  private scStatus(): SipResponse {
    // Before a login, only where an account of this branch allows the status check.
    const anonymousOk =
      !this.account && this.s.sip2.activeHere().some((a) => a.allowed.includes('status_before_login'));
    const known = !!this.account || anonymousOk;
    const flag = (cap: Sip2Capability | null | false) =>
      cap === false ? 'N' : yn(this.account ? this.may(cap) : known);
    const resp = new SipResponse(
      '98',
      yn(known),
      flag('checkin'),
      flag('checkout'),
      flag('renew'),
      'N',
      'N',
      '030',
      '003',
      this.date(),
      '2.00',
    )
      .field('AO', this.institution())
      .field('AM', this.s.ctx.config.get().settings.name)
      .field('BX', SUPPORTED.map(([, cap]) => flag(cap)).join(''));
    if (!known) resp.field('AF', this.t('sip2.loginFirst'));
    return resp;
  }

  private endSession(r: SipRequest): SipResponse {
    if (!this.account) return this.notAllowed(r);
    return new SipResponse('36', 'Y', this.date())
      .field('AO', this.institution())
      .field('AA', r.fields.get('AA') ?? '');
  }

  // --- 23 patron status, 25 patron enable, 63 patron information, 01 block -------------------

  /** The 14 patron status flags: what Circa's rules say of this patron now. */
  private statusFlags(summary: PatronSummary | null): string {
    if (!summary) return 'YYYY          ';
    const cfg = this.s.ctx.config.get();
    const today = localDateOf(this.s.ctx.now(), this.branch().timeZone);
    const standing = patronStandingRefusals({ ...summary.patron, blocks: summary.blocks }, today);
    const excessiveFines = feesOverLimit(summary.feesOwed, cfg.settings.maxFeesOwed);
    const denied = standing.length > 0 || excessiveFines;
    const flags = [
      denied, // charge privileges denied
      denied, // renewal privileges denied
      denied, // recall privileges denied
      denied, // hold privileges denied
      standing.some((x) => x.code === 'CARD_LOST'),
      false, // too many items charged: the limit depends on the item, decided at check-out
      summary.loans.some((l) => l.overdue), // items overdue
      false,
      false,
      false,
      excessiveFines, // excessive outstanding fines
      excessiveFines, // excessive outstanding fees
      false,
      false,
    ];
    return flags.map((f) => (f ? 'Y' : ' ')).join('');
  }

  private summaryOf(card: string | undefined): PatronSummary | null {
    const row = this.patronRow(card);
    return row ? this.s.patrons.summary(row.id) : null;
  }

  /** The fields 24, 26 and 64 share after their fixed part. */
  private patronFields(
    resp: SipResponse,
    card: string,
    summary: PatronSummary | null,
    pin: { valid: boolean | null },
  ): SipResponse {
    resp.field('AO', this.institution()).field('AA', card);
    resp.field('AE', summary ? `${summary.patron.firstName} ${summary.patron.lastName}` : '');
    resp.field('BL', yn(!!summary));
    if (pin.valid !== null) resp.field('CQ', yn(pin.valid && !!summary));
    if (summary) resp.field('BH', summary.currency).field('BV', this.money(summary.feesOwed));
    return resp;
  }

  private async patronStatus(r: SipRequest, answer: '24' | '26'): Promise<SipResponse> {
    if (!this.may('patron_info')) return this.notAllowed(r);
    this.useLanguage(r.fixed.language);
    const card = r.fields.get('AA') ?? '';
    const summary = this.summaryOf(card);
    const pin = await this.pin(r);
    const resp = this.patronFields(
      new SipResponse(answer, this.statusFlags(summary), languageCode(this.language), this.date()),
      card,
      summary,
      pin,
    );
    const screen = [...pin.why];
    if (!summary) screen.push(this.refusalText({ code: 'PATRON_NOT_FOUND', overridable: false }));
    if (answer === '26') screen.push(this.t('sip2.enableAtDesk'));
    return this.withScreen(resp, screen);
  }

  private async patronInformation(r: SipRequest): Promise<SipResponse> {
    if (!this.may('patron_info')) return this.notAllowed(r);
    this.useLanguage(r.fixed.language);
    const card = r.fields.get('AA') ?? '';
    const summary = this.summaryOf(card);
    const pin = await this.pin(r);
    const loans = summary?.loans ?? [];
    const overdue = loans.filter((l) => l.overdue);
    const holds = summary?.holds ?? [];
    const ready = holds.filter((h) => h.status === 'waiting');
    const unavailable = holds.filter((h) => h.status !== 'waiting');
    const fines = (summary?.fees ?? []).filter((f) => f.outstanding > 0);
    const resp = new SipResponse(
      '64',
      this.statusFlags(summary),
      languageCode(this.language),
      this.date(),
      count4(ready.length),
      count4(overdue.length),
      count4(loans.length),
      count4(fines.length),
      count4(0),
      count4(unavailable.length),
    );
    this.patronFields(resp, card, summary, pin);
    // Only the list the summary asks for (the first Y), from BP to BQ (1-based, inclusive).
    const summaryFlags = (r.fixed.summary ?? '').padEnd(10, ' ');
    const which = summaryFlags.split('').findIndex((c) => c.toUpperCase() === 'Y');
    const start = Math.max(1, Number.parseInt(r.fields.get('BP') ?? '1', 10) || 1);
    const end = Math.max(start, Number.parseInt(r.fields.get('BQ') ?? '', 10) || start + 49);
    const page = <T>(list: T[]) => list.slice(start - 1, end);
    const holdName = (h: (typeof holds)[number]) =>
      h.itemId ? (this.s.circulation.lookups.item(h.itemId)?.barcode ?? h.title) : h.title;
    if (which === 0) for (const h of page(ready)) resp.field('AS', holdName(h));
    if (which === 1) for (const l of page(overdue)) resp.field('AT', l.itemBarcode);
    if (which === 2) for (const l of page(loans)) resp.field('AU', l.itemBarcode);
    if (which === 3) for (const f of page(fines)) resp.field('AV', `${this.money(f.outstanding)} ${f.description}`);
    if (which === 5) for (const h of page(unavailable)) resp.field('CD', holdName(h));
    if (summary) {
      resp.field('BD', (summary.patron.address ?? '').replace(/\s*\n\s*/g, ', '));
      resp.field('BE', summary.patron.email ?? '');
      resp.field('BF', summary.patron.phone ?? '');
    } else {
      resp.field('BD', '').field('BE', '').field('BF', '');
    }
    const screen = [...pin.why];
    if (!summary) screen.push(this.refusalText({ code: 'PATRON_NOT_FOUND', overridable: false }));
    return this.withScreen(resp, screen);
  }

  private blockPatron(r: SipRequest): SipResponse {
    if (!this.may('block')) return this.notAllowed(r);
    const card = r.fields.get('AA') ?? '';
    const row = this.patronRow(card);
    const screen: string[] = [];
    if (row) {
      const message = (r.fields.get('AL') ?? '').trim();
      const retained = r.fixed.cardRetained === 'Y';
      try {
        this.s.patrons.addBlock(
          row.id,
          {
            kind: retained ? 'lost_card' : 'manual',
            reason: `SIP2 ${this.account!.login}: ${message || this.t('sip2.blockedBySelfCheck')}`,
          },
          this.actor(),
        );
      } catch (error) {
        screen.push(...this.errorText(error));
      }
    }
    const summary = row ? this.s.patrons.summary(row.id) : null;
    const resp = this.patronFields(
      new SipResponse('24', this.statusFlags(summary), languageCode(this.language), this.date()),
      card,
      summary,
      { valid: null },
    );
    if (!summary) screen.push(this.refusalText({ code: 'PATRON_NOT_FOUND', overridable: false }));
    return this.withScreen(resp, screen);
  }

  // --- 11 check-out, 29 renew, 65 renew all -----------------------------------------------------

  /** Synchronous unless a PIN is to be checked (scrypt, off the event loop). */
  private checkout(r: SipRequest): SipResponse | Promise<SipResponse> {
    if (!this.may('checkout')) return this.notAllowed(r);
    const pin = this.pin(r);
    return pin instanceof Promise ? pin.then((checked) => this.checkoutWith(r, checked)) : this.checkoutWith(r, pin);
  }

  private checkoutWith(r: SipRequest, pin: { valid: boolean | null; why: string[] }): SipResponse {
    const card = r.fields.get('AA') ?? '';
    const itemBarcode = r.fields.get('AB') ?? '';
    // A refusal still says whether the PIN was right, when one was sent.
    const refusedWith = (messages: string[]) => {
      const resp = this.failure(r, messages);
      return pin.valid === null ? resp : resp.field('CQ', yn(pin.valid));
    };
    if (pin.valid === false) return refusedWith(pin.why);
    if (pin.valid === null && this.account!.requirePin) return refusedWith([this.t('sip2.pinRequired')]);
    try {
      // AC (the terminal password) is ignored: the account's login is what counts.
      const loan = this.s.circulation.checkout({ patronBarcode: card, itemBarcode }, this.actor());
      const resp = new SipResponse('12', '1', yn(loan.renewed), 'N', 'Y', this.date())
        .field('AO', this.institution())
        .field('AA', card)
        .field('AB', loan.itemBarcode)
        .field('AJ', loan.title)
        .field('AH', this.date(loan.dueAt))
        // The service found the patron by this card, or there would be no loan: no second look-up.
        .field('BL', 'Y');
      if (pin.valid !== null) resp.field('CQ', yn(pin.valid));
      return this.withScreen(resp, loan.renewed ? [this.t('sip2.renewed')] : []);
    } catch (error) {
      return refusedWith(this.errorText(error));
    }
  }

  private async renew(r: SipRequest): Promise<SipResponse> {
    if (!this.may('renew')) return this.notAllowed(r);
    const card = r.fields.get('AA') ?? '';
    const itemBarcode = r.fields.get('AB') ?? '';
    const pin = await this.pin(r);
    if (pin.valid === false) return this.failure(r, pin.why);
    const patron = this.patronRow(card);
    if (!patron) return this.failure(r, [this.refusalText({ code: 'PATRON_NOT_FOUND', overridable: false })]);
    try {
      // Renewed only as this patron's loan: a self-check renews for the card in front of it.
      const loan = this.s.circulation.renew({ itemBarcode }, this.actor(patron.id));
      return new SipResponse('30', '1', 'Y', 'N', 'Y', this.date())
        .field('AO', this.institution())
        .field('AA', card)
        .field('AB', loan.itemBarcode)
        .field('AJ', loan.title)
        .field('AH', this.date(loan.dueAt));
    } catch (error) {
      return this.failure(r, this.errorText(error));
    }
  }

  private async renewAll(r: SipRequest): Promise<SipResponse> {
    if (!this.may('renew')) return this.notAllowed(r);
    const card = r.fields.get('AA') ?? '';
    const pin = await this.pin(r);
    if (pin.valid === false) return this.failure(r, pin.why);
    try {
      const result = this.s.circulation.renewAll({ patronBarcode: card }, this.actor());
      const resp = new SipResponse(
        '66',
        '1',
        count4(result.renewed.length),
        count4(result.refused.length),
        this.date(),
      ).field('AO', this.institution());
      for (const l of result.renewed) resp.field('BM', l.itemBarcode);
      for (const l of result.refused) resp.field('BN', l.itemBarcode);
      return resp;
    } catch (error) {
      return this.failure(r, this.errorText(error));
    }
  }

  // --- 09 check-in ------------------------------------------------------------------------------

  private checkin(r: SipRequest): SipResponse {
    if (!this.may('checkin')) return this.notAllowed(r);
    const itemBarcode = (r.fields.get('AB') ?? '').trim();
    const cfg = this.s.ctx.config.get();
    const branch = this.branch();
    // AP (where the SC is) is not a branch of Circa's, or another one: the check-in is this station's, at its branch.
    const find = this.s.circulation.lookups;
    const item = find.itemByBarcode(itemBarcode);
    // The borrower's card, read before the check-in unlinks the loan (privacy).
    const loan = item ? find.openLoanOfItem(item.id) : undefined;
    const borrower = loan?.patronId ? find.patronById(loan.patronId)?.cardBarcode : undefined;
    const returned = parseSipDate(r.fixed.returnDate ?? '', branch.timeZone);
    const today = localDateOf(this.s.ctx.now(), branch.timeZone);
    const returnDay = returned !== null ? localDateOf(returned, branch.timeZone) : null;
    // A book drop's earlier return day (a sorter emptying the overnight drop) is a backdate.
    const backdate = returnDay !== null && returnDay < today ? returnDay : null;
    let result: CheckinResult;
    try {
      result = this.s.circulation.checkin({ itemBarcode, backdate }, this.actor());
    } catch (error) {
      return this.failure(r, this.errorText(error));
    }
    const codeOf = (id: string | null | undefined) => (id ? (cfg.branches.get(id)?.code ?? '') : '');
    const home = item ? codeOf(item.homeBranchId) : '';
    const screen: string[] = [];
    let bin = 'SHELF';
    let alert = false;
    let alertType: string | null = null;
    let destination: string | null = null;
    if (result.action === 'hold_waiting') {
      bin = 'HOLD';
      alert = true;
      alertType = '01';
      screen.push(this.t('sip2.holdHere'));
    } else if (result.action === 'hold_transit' || result.action === 'transit') {
      destination = codeOf(result.destinationBranch?.id);
      bin = destination;
      alert = true;
      alertType = result.action === 'hold_transit' ? '02' : '04';
      screen.push(
        this.t(result.action === 'hold_transit' ? 'sip2.holdTransit' : 'sip2.transit', {
          branch: result.destinationBranch?.name ?? destination,
        }),
      );
    }
    if (!result.wasOnLoan) screen.unshift(this.t('sip2.notOnLoan'));
    if (result.fine) screen.push(this.t('sip2.fineCharged', { amount: this.money(result.fine.amount) }));
    const resp = new SipResponse('10', bit(result.wasOnLoan), 'Y', 'U', yn(alert), this.date())
      .field('AO', this.institution())
      .field('AB', result.itemBarcode)
      .field('AQ', home)
      .field('AJ', result.title)
      .field('CL', bin)
      .field('AA', borrower ?? '');
    if (destination) resp.field('CT', destination);
    if (alertType) resp.field('CV', alertType);
    return this.withScreen(resp, screen);
  }

  // --- 17 item information, 19 item status update ------------------------------------------------

  private itemInformation(r: SipRequest): SipResponse {
    if (!this.may(null)) return this.notAllowed(r);
    const barcode = (r.fields.get('AB') ?? '').trim();
    const find = this.s.circulation.lookups;
    const item = find.deskItemByBarcode(barcode);
    if (!item) return this.failure(r, [this.refusalText({ code: 'ITEM_NOT_FOUND', overridable: false })]);
    const cfg = this.s.ctx.config.get();
    const loan = find.openLoanOfItem(item.id);
    const holds = find.activeHoldsOfRecord(item.recordId).filter((h) => !h.itemLevel || h.itemId === item.id);
    const waiting = holds.find((h) => h.status === 'waiting' && h.itemId === item.id);
    const resp = new SipResponse('18', CIRCULATION_STATUS[item.status] ?? '01', '00', '01', this.date())
      .field('CF', holds.length)
      .field('AB', item.barcode)
      .field('AJ', item.title)
      .field('AQ', cfg.branches.get(item.homeBranchId)?.code ?? '')
      .field('AP', cfg.branches.get(item.currentBranchId)?.code ?? '');
    if (loan) resp.field('AH', this.date(loan.dueAt));
    if (waiting?.shelfExpiresOn) resp.field('CM', `${waiting.shelfExpiresOn.replace(/-/g, '')}    235959`);
    if (item.status === 'in_transit' && item.transitToBranchId)
      resp.field('CT', cfg.branches.get(item.transitToBranchId)?.code ?? '');
    return resp;
  }

  private itemStatusUpdate(r: SipRequest): SipResponse {
    if (!this.may(null)) return this.notAllowed(r);
    const barcode = r.fields.get('AB') ?? '';
    return new SipResponse('20', '0', this.date())
      .field('AB', barcode)
      .field('AJ', this.titleOf(barcode))
      .field('AF', this.t('sip2.noItemProperties'));
  }

  // --- 15 hold ------------------------------------------------------------------------------------

  private async hold(r: SipRequest): Promise<SipResponse> {
    if (!this.may('hold')) return this.notAllowed(r);
    const card = r.fields.get('AA') ?? '';
    const itemBarcode = (r.fields.get('AB') ?? '').trim();
    const pickupCode = (r.fields.get('BS') ?? '').trim();
    const mode = r.fixed.holdMode ?? '+';
    const cfg = this.s.ctx.config.get();
    const pin = await this.pin(r);
    if (pin.valid === false) return this.failure(r, pin.why);
    const patron = this.patronRow(card);
    if (!patron) return this.failure(r, [this.refusalText({ code: 'PATRON_NOT_FOUND', overridable: false })]);
    const item = this.s.circulation.lookups.deskItemByBarcode(itemBarcode);
    if (!item) return this.failure(r, [this.refusalText({ code: 'ITEM_NOT_FOUND', overridable: false })]);
    const pickup = pickupCode ? [...cfg.branches.values()].find((b) => b.code === pickupCode) : this.branch();
    const answer = (ok: boolean, holdId: string | null, screen: string[]) => {
      const position = holdId ? this.s.holds.queue(item.recordId).find((h) => h.id === holdId)?.position : undefined;
      const available = item.status === 'available' && !item.notForLoan;
      const resp = new SipResponse('16', bit(ok), yn(available), this.date());
      if (position !== undefined) resp.field('BR', position);
      if (pickupCode) resp.field('BS', pickupCode);
      resp.field('AO', this.institution()).field('AA', card).field('AB', item.barcode).field('AJ', item.title);
      return this.withScreen(resp, screen);
    };
    if (mode === '-') {
      const own = this.s.circulation.lookups.activeHoldsOfPatron(patron.id).find((h) => h.recordId === item.recordId);
      if (!own) return answer(false, null, [this.t('sip2.noSuchHold')]);
      try {
        this.s.holds.cancel(own.id, this.actor(patron.id));
        return answer(true, null, [this.t('sip2.holdCancelled')]);
      } catch (error) {
        return answer(false, null, this.errorText(error));
      }
    }
    if (mode !== '+') return answer(false, null, [this.t('sip2.holdChangeAtDesk')]);
    if (!pickup) return answer(false, null, [this.t('sip2.unknownPickup')]);
    try {
      // A hold by item barcode is a hold on that copy's title: any copy fills it.
      const hold = this.s.holds.place(
        { patronId: patron.id, recordId: item.recordId, pickupBranchId: pickup.id },
        this.actor(patron.id),
      );
      return answer(true, hold.id, [this.t('sip2.holdPlaced')]);
    } catch (error) {
      return answer(false, null, this.errorText(error));
    }
  }

  // --- 37 fee paid -------------------------------------------------------------------------------

  private async feePaid(r: SipRequest): Promise<SipResponse> {
    if (!this.may('fees')) return this.notAllowed(r);
    const card = r.fields.get('AA') ?? '';
    const transaction = r.fields.get('BK') ?? '';
    const currency = this.s.ctx.config.get().settings.currency;
    const answer = (accepted: boolean, screen: string[]) => {
      const resp = new SipResponse('38', yn(accepted), this.date()).field('AO', this.institution()).field('AA', card);
      if (transaction) resp.field('BK', transaction);
      return this.withScreen(resp, screen);
    };
    const pin = await this.pin(r);
    if (pin.valid === false) return answer(false, pin.why);
    const patron = this.patronRow(card);
    if (!patron) return answer(false, [this.refusalText({ code: 'PATRON_NOT_FOUND', overridable: false })]);
    const sentCurrency = (r.fixed.currencyType ?? '').trim();
    if (sentCurrency && sentCurrency.toUpperCase() !== currency)
      return answer(false, [this.t('sip2.wrongCurrency', { currency })]);
    const amount = parseMoney(r.fields.get('BV') ?? '', currency);
    if (amount === null || amount <= 0) return answer(false, [this.t('sip2.badAmount')]);
    const feeId = (r.fields.get('CG') ?? '').trim();
    try {
      const paid = this.s.fees.pay(
        {
          patronId: patron.id,
          amount,
          tendered: amount,
          method: r.fixed.paymentType === '00' ? 'cash' : 'card',
          feeIds: feeId ? [feeId] : null,
        },
        this.actor(patron.id),
      );
      return answer(true, [
        this.t('sip2.paid', { amount: this.money(paid.applied), owed: this.money(paid.remainingOwed) }),
      ]);
    } catch (error) {
      if (error instanceof ServiceError && error.code === 'INVALID') return answer(false, [this.t('sip2.nothingOwed')]);
      return answer(false, this.errorText(error));
    }
  }
}
