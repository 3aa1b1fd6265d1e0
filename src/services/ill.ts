// Interlibrary loan, both ways (docs/ill.md). Each step is one command: one transaction, one
// journal entry, one audit line; a step the life cycle has not (src/domain/ill.ts) is refused
// and changes nothing. The steps that are the desk's ordinary work (the patron's check-out of a
// borrowed copy, the check-in that brings it back, a lent copy's check-out to the borrowing
// library) are taken by those commands themselves (ill-circulation.ts).
import { luhnCheckDigit, validateBarcode } from '../domain/barcode';
import { shelfExpiry } from '../domain/holds';
import {
  isClosed,
  moved,
  nextAction,
  nextRangeBarcode,
  nextSteps,
  stepsOf,
  type IllAction,
  type IllDirection,
  type IllRequest,
  type IllStatus,
  type IllStep,
} from '../domain/ill';
import { isValidLocalDate, localDateOf } from '../domain/time';
import type { BibRecord, Hold, IllSettings, Item, PatronCategory } from '../domain/types';
import { normaliseIsbn } from '../domain/isbn';
import { DEFAULT_RULE } from '../domain/rules';
import { runCommand, type Actor, type Tx } from './command';
import { DEFAULT_SETTINGS } from './config';
import type { ServiceContext } from './context';
import { invalid, notFound, ServiceError } from './errors';
import { readIso18626, writeIso18626, type Iso18626Message, type Iso18626MessageKind } from './ill-iso18626';
import type { Lookups, PatronRow } from './lookups';
import {
  barcodesInRange,
  borrowingRequestsOfPatron,
  illRequestIdByRequestingId,
  lendableCopiesAt,
  lendingRequestsToPull,
  recentIllRequests,
} from '../store/queries/ill';
import { keepsLoanLink } from './privacy';
import { circulationRuleFor } from './accrual';
import { COMMAND, type CommandName } from '../domain/commands';

export interface BorrowingInput {
  patronId: string;
  title: string;
  author?: string | null;
  isbn?: string | null;
  partnerName: string;
  partnerAgencyId?: string | null;
  needBy?: string | null;
  note?: string | null;
}

export interface LendingInput {
  /** The borrowing library: its name, its ISO 18626 agency id, and the card it borrows on here. */
  partnerName: string;
  partnerAgencyId?: string | null;
  libraryCardBarcode: string;
  /** The borrowing library's own id for the request. */
  requestingRequestId: string;
  title: string;
  author?: string | null;
  isbn?: string | null;
  /** The title of ours asked for, when staff found it. */
  recordId?: string | null;
  lenderDueOn?: string | null;
  note?: string | null;
}

/** A request as the ILL screen and the kiosk show it. */
export interface IllView extends Omit<IllRequest, 'history'> {
  steps: IllStep[];
  nextAction: IllAction;
  nextSteps: IllStatus[];
  closed: boolean;
  itemBarcode: string | null;
  /** The patron (borrowing) or the borrowing library's card (lending), as the desk names them. */
  patron: { id: string; cardBarcode: string; firstName: string; lastName: string } | null;
}

/** A lending request waiting for its copy to be pulled, with the copies on this branch's shelves. */
export interface PullListLine {
  requestId: string;
  title: string;
  partnerName: string;
  copies: { itemBarcode: string; callNumber: string | null }[];
}

const MAX_LINE = 500;

export class IllService {
  private readonly find: Lookups;

  constructor(private readonly ctx: ServiceContext) {
    this.find = ctx.circulation;
  }

  settings(): IllSettings {
    return { ...DEFAULT_SETTINGS.ill!, ...(this.ctx.config.get().settings.ill ?? {}) };
  }

  // --- borrowing ------------------------------------------------------------------------------

  requestBorrowing(input: BorrowingInput, actor: Actor): IllView {
    const fields = this.bibFields(input);
    const partnerName = line(input.partnerName, 'The lending library', true)!;
    const needBy = this.optionalDay(input.needBy, 'The need-by date');
    const patron = this.find.patronById(input.patronId);
    if (!patron) throw notFound('patron');
    const now = this.ctx.now();
    const id = this.ctx.newId();
    const request: IllRequest = {
      id,
      direction: 'borrowing',
      status: 'requested',
      branchId: this.ctx.identity().branchId,
      patronId: patron.id,
      ...fields,
      partnerName,
      partnerAgencyId: agencyId(input.partnerAgencyId),
      needBy,
      // Ours: the lender quotes it back in every message.
      requestingRequestId: id,
      recordId: null,
      itemId: null,
      lenderDueOn: null,
      note: line(input.note, 'The note', false),
      history: JSON.stringify([{ status: 'requested', at: now, by: actor.staffId }]),
      createdAt: now,
      updatedAt: now,
    };
    runCommand(
      this.ctx,
      {
        command: COMMAND.ill.requestBorrowing,
        input: { ...input, patronId: patron.id },
        actor,
        summary: 'ILL borrowing request',
      },
      (tx) => {
        tx.insert('ill_requests', request);
      },
    );
    return this.view(request);
  }

  /** requested -> sent: the request went to the lending library (by ISO 18626, email, a broker). */
  send(id: string, actor: Actor): IllView {
    return this.step(id, 'borrowing', 'sent', COMMAND.ill.send, actor);
  }

  /** sent -> shipped: the lender says it is on its way, and until when we may keep it. */
  markShipped(id: string, lenderDueOn: string | null, actor: Actor): IllView {
    const due = this.optionalDay(lenderDueOn, "The lender's due date");
    return this.step(id, 'borrowing', 'shipped', COMMAND.ill.markShipped, actor, { lenderDueOn: due }, (r) =>
      due ? { ...r, lenderDueOn: due } : r,
    );
  }

  /**
   * -> received: the package is here. A temporary record and copy are made (the copy's barcode
   * from the range set aside for ILL, its due date the lender's), and the patron's hold on it is
   * trapped: the copy waits on the hold shelf for the normal check-out.
   */
  receive(
    id: string,
    input: { lenderDueOn: string; itemTypeCode?: string | null },
    actor: Actor,
  ): IllView & {
    hold: { holdId: string; patronId: string; pickupBranchId: string; shelfExpiresOn: string | null } | null;
  } {
    const lenderDueOn = this.optionalDay(input.lenderDueOn, "The lender's due date");
    if (!lenderDueOn) throw invalid("The lender's due date is needed: it is the copy's due date.");
    const cfg = this.ctx.config.get();
    const itemTypeCode = input.itemTypeCode ?? this.defaultItemType();
    if (!cfg.itemTypes.has(itemTypeCode)) throw invalid(`Unknown item type ${itemTypeCode}.`);
    let hold: Hold | null = null;
    const result = runCommand(
      this.ctx,
      { command: COMMAND.ill.receive, input: { id, lenderDueOn, itemTypeCode }, actor, summary: 'ILL received' },
      (tx) => {
        const request = this.requireOpen(id, 'borrowing', 'received');
        const now = this.ctx.now();
        const branchId = this.ctx.identity().branchId;
        const desk = cfg.branches.get(branchId)!;
        const record: BibRecord = {
          id: this.ctx.newId(),
          title: request.title,
          author: request.author,
          isbn: request.isbn,
          issn: null,
          publisher: null,
          year: null,
          callNumber: 'ILL',
          edition: null,
          subjects: null,
          controlNumber: null,
          marc: null,
        };
        tx.insert('records', record);
        const item: Item = {
          id: this.ctx.newId(),
          barcode: this.nextTempBarcode(),
          recordId: record.id,
          homeBranchId: branchId,
          currentBranchId: branchId,
          itemTypeCode,
          status: 'on_hold_shelf',
          damaged: false,
          notForLoan: false,
          replacementPrice: null,
          transitToBranchId: null,
        };
        tx.insert('items', item);
        const today = localDateOf(now, desk.timeZone);
        if (request.patronId) {
          const patron = this.find.patronById(request.patronId);
          const rule = patron ? circulationRuleFor(cfg, branchId, patron, item) : DEFAULT_RULE;
          hold = {
            id: this.ctx.newId(),
            patronId: request.patronId,
            recordId: record.id,
            itemId: item.id,
            itemLevel: true,
            pickupBranchId: branchId,
            placedAt: now,
            status: 'waiting',
            suspendedUntil: null,
            waitingSince: now,
            shelfExpiresOn: shelfExpiry(
              today,
              rule.pickupPeriodDays,
              cfg.closedDays.get(branchId) ?? [],
              cfg.settings.holdShelfSkipsClosedDays,
            ),
          };
          tx.insert('holds', hold);
        } else {
          tx.upsert('items', { ...item, status: 'available' });
        }
        const next = moved(
          { ...request, recordId: record.id, itemId: item.id, lenderDueOn },
          'received',
          now,
          actor.staffId,
        );
        tx.upsert('ill_requests', next);
        return next;
      },
    );
    const h = hold as Hold | null;
    return {
      ...this.view(result),
      hold: h
        ? { holdId: h.id, patronId: h.patronId, pickupBranchId: h.pickupBranchId, shelfExpiresOn: h.shelfExpiresOn }
        : null,
    };
  }

  /** returned (or received and never collected) -> shipped_back: the temporary copy is withdrawn, and the patron's link dropped. */
  shipBack(id: string, actor: Actor): IllView {
    return this.step(id, 'borrowing', 'shipped_back', COMMAND.ill.shipBack, actor, {}, (r, tx) => {
      if (r.itemId) {
        const item = this.ctx.rows.get<Item>('items', r.itemId);
        if (item) {
          if (this.find.openLoanOfItem(item.id))
            throw new ServiceError('CONFLICT', 'The copy is still on loan: check it in first.');
          tx.upsert('items', { ...item, status: 'withdrawn', notForLoan: true, transitToBranchId: null });
          // Its patron's hold, if never collected, ends with it.
          for (const h of this.find.activeHoldsOfItem(item.id)) tx.upsert('holds', { ...h, status: 'cancelled' });
        }
      }
      return r;
    });
  }

  // --- lending --------------------------------------------------------------------------------

  /**
   * Another library's request for a copy of ours. The borrowing library borrows on a card of its
   * own, in the ILL patron category: both are made the first time they are needed.
   */
  recordLending(input: LendingInput, actor: Actor): IllView {
    const fields = this.bibFields(input);
    const partnerName = line(input.partnerName, 'The borrowing library', true)!;
    const requestingRequestId = line(input.requestingRequestId, "The borrowing library's request id", true)!;
    const lenderDueOn = this.optionalDay(input.lenderDueOn, 'The due date');
    const cfg = this.ctx.config.get();
    const card = validateBarcode(cfg.settings.barcodes.patron, input.libraryCardBarcode);
    if (!card.ok) throw invalid(`The library's card barcode is not a patron barcode here (${card.reason}).`);
    if (input.recordId && !this.ctx.rows.get('records', input.recordId)) throw notFound('record');
    const categoryCode = this.settings().libraryCategoryCode;
    const existing = this.find.patronByCard(card.barcode);
    if (existing && existing.categoryCode !== categoryCode)
      throw new ServiceError('CONFLICT', `That card belongs to a patron who is not in the ${categoryCode} category.`);
    const now = this.ctx.now();
    const branchId = this.ctx.identity().branchId;
    const request: IllRequest = {
      id: this.ctx.newId(),
      direction: 'lending',
      status: 'requested',
      branchId,
      patronId: existing?.id ?? this.ctx.newId(),
      ...fields,
      partnerName,
      partnerAgencyId: agencyId(input.partnerAgencyId),
      needBy: null,
      requestingRequestId,
      recordId: input.recordId ?? null,
      itemId: null,
      lenderDueOn,
      note: line(input.note, 'The note', false),
      history: JSON.stringify([{ status: 'requested', at: now, by: actor.staffId }]),
      createdAt: now,
      updatedAt: now,
    };
    runCommand(
      this.ctx,
      {
        command: COMMAND.ill.recordLending,
        input: { ...input, libraryCardBarcode: card.barcode },
        actor,
        summary: 'ILL lending request',
      },
      (tx) => {
        if (!existing) {
          const category = this.ensureCategory(tx, categoryCode);
          const home = cfg.branches.get(branchId)!;
          const today = localDateOf(now, home.timeZone);
          const patron: PatronRow = {
            id: request.patronId!,
            cardBarcode: card.barcode,
            firstName: partnerName,
            lastName: '',
            email: null,
            phone: null,
            address: null,
            homeBranchId: branchId,
            categoryCode,
            cardExpiresOn: addYears(today, Math.max(1, Math.ceil(category.cardValidityDays / 365))),
            pinHash: null,
            notes: `Interlibrary loan: ${request.partnerAgencyId}`,
            keepReadingHistory: false,
            createdAt: now,
          };
          tx.insert('patrons', patron);
        }
        tx.insert('ill_requests', request);
      },
    );
    return this.view(request);
  }

  /** requested -> pulled: staff took this copy off the shelf for it. */
  pull(id: string, itemBarcode: string, actor: Actor): IllView {
    const cfg = this.ctx.config.get();
    const check = validateBarcode(cfg.settings.barcodes.item, itemBarcode);
    if (!check.ok) throw invalid(`That is not an item barcode (${check.reason}).`);
    return this.step(id, 'lending', 'pulled', COMMAND.ill.pull, actor, { itemBarcode: check.barcode }, (r) => {
      const item = this.find.itemByBarcode(check.barcode);
      if (!item) throw notFound('item');
      if (item.status !== 'available' || item.notForLoan)
        throw new ServiceError('CONFLICT', 'That copy is not on the shelf to lend.');
      if (r.recordId && r.recordId !== item.recordId)
        throw new ServiceError('CONFLICT', 'That copy is of another title than the one asked for.');
      return { ...r, itemId: item.id, recordId: item.recordId };
    });
  }

  /** checked_out -> shipped: the package left for the borrowing library. */
  shipLending(id: string, actor: Actor): IllView {
    return this.step(id, 'lending', 'shipped', COMMAND.ill.shipLending, actor);
  }

  // --- either way -----------------------------------------------------------------------------

  /** -> cancelled or unfilled, before anything has moved. */
  close(id: string, outcome: 'cancelled' | 'unfilled', note: string | null, actor: Actor): IllView {
    const n = line(note, 'The note', false);
    const request = this.require(id);
    return this.step(
      id,
      request.direction,
      outcome,
      outcome === 'cancelled' ? COMMAND.ill.cancel : COMMAND.ill.markUnfilled,
      actor,
      { note: n },
      (r) => (n ? { ...r, note: n } : r),
    );
  }

  get(id: string): IllView {
    return this.view(this.require(id));
  }

  /** Open requests (or all), newest first. */
  list(options: { includeClosed?: boolean } = {}): IllView[] {
    return recentIllRequests(this.ctx)
      .filter((r) => options.includeClosed || !isClosed(r.direction, r.status))
      .map((r) => this.view(r));
  }

  /** A patron's own borrowing requests, for the kiosk: what they asked for and where it is. */
  forPatron(patronId: string): {
    id: string;
    title: string;
    author: string | null;
    status: IllStatus;
    needBy: string | null;
    updatedAt: number;
  }[] {
    return borrowingRequestsOfPatron(this.ctx, patronId).map((r) => ({
      id: r.id,
      title: r.title,
      author: r.author,
      status: r.status,
      needBy: r.needBy,
      updatedAt: r.updatedAt,
    }));
  }

  /** Lending requests waiting for a copy, with the copies of the title on this branch's shelves. */
  pullList(): PullListLine[] {
    const branchId = this.ctx.identity().branchId;
    const copies = lendableCopiesAt(this.ctx);
    return lendingRequestsToPull(this.ctx).map((r) => ({
      requestId: r.id,
      title: r.title,
      partnerName: r.partnerName,
      copies: r.recordId ? (copies(r.recordId, branchId) as PullListLine['copies']) : [],
    }));
  }

  /** The request as an ISO 18626 message, to send to the other library. */
  exportIso(id: string, kind: Iso18626MessageKind): string {
    return writeIso18626(kind, this.require(id), this.settings().agencyId, this.ctx.now());
  }

  /** What an ISO 18626 message that arrived says (the screen fills a lending request, or a lender's due date, from it). */
  readIso(xml: string): Iso18626Message & { requestId: string | null } {
    const message = readIso18626(xml);
    return { ...message, requestId: illRequestIdByRequestingId(this.ctx, message.requestingAgencyRequestId) ?? null };
  }

  // --- shared pieces --------------------------------------------------------------------------

  private step(
    id: string,
    direction: IllDirection,
    to: IllStatus,
    command: CommandName,
    actor: Actor,
    extraInput: Record<string, unknown> = {},
    change: (r: IllRequest, tx: Tx) => IllRequest = (r) => r,
  ): IllView {
    const result = runCommand(
      this.ctx,
      { command, input: { id, ...extraInput }, actor, summary: `ILL ${to}` },
      (tx) => {
        const request = this.requireOpen(id, direction, to);
        let next = moved(change(request, tx), to, this.ctx.now(), actor.staffId);
        // Privacy: a finished borrowing request keeps no link to who asked, unless they keep a reading history.
        if (direction === 'borrowing' && isClosed(direction, to) && next.patronId) {
          const patron = this.find.patronById(next.patronId);
          if (!keepsLoanLink(this.ctx.config.get().settings, patron)) next = { ...next, patronId: null };
        }
        tx.upsert('ill_requests', next);
        return next;
      },
    );
    return this.view(result);
  }

  private require(id: string): IllRequest {
    const request = this.ctx.rows.get<IllRequest>('ill_requests', id);
    if (!request) throw notFound('ILL request');
    return request;
  }

  /** The request, if it may take this step now; else a clear refusal. */
  private requireOpen(id: string, direction: IllDirection, to: IllStatus): IllRequest {
    const request = this.require(id);
    if (request.direction !== direction) throw new ServiceError('CONFLICT', `That is a ${request.direction} request.`);
    const allowed = nextSteps(direction, request.status);
    if (!allowed.includes(to)) {
      throw new ServiceError(
        'CONFLICT',
        `An ILL request that is ${request.status.replace('_', ' ')} cannot be marked ${to.replace('_', ' ')}.`,
      );
    }
    return request;
  }

  private view(r: IllRequest): IllView {
    const { history: _history, ...rest } = r;
    const item = r.itemId ? this.ctx.rows.get<Item>('items', r.itemId) : undefined;
    const p = r.patronId ? this.find.patronById(r.patronId) : undefined;
    return {
      ...rest,
      steps: stepsOf(r),
      nextAction: nextAction(r.direction, r.status),
      nextSteps: nextSteps(r.direction, r.status),
      closed: isClosed(r.direction, r.status),
      itemBarcode: item?.barcode ?? null,
      patron: p ? { id: p.id, cardBarcode: p.cardBarcode, firstName: p.firstName, lastName: p.lastName } : null,
    };
  }

  private bibFields(input: { title: string; author?: string | null; isbn?: string | null }) {
    const title = line(input.title, 'The title', true)!;
    const author = line(input.author, 'The author', false);
    let isbn: string | null = null;
    if (input.isbn && input.isbn.trim()) {
      isbn = normaliseIsbn(input.isbn);
      if (!isbn) throw invalid('That ISBN is not valid.');
    }
    return { title, author, isbn };
  }

  private optionalDay(value: string | null | undefined, what: string): string | null {
    if (value == null || value === '') return null;
    if (!isValidLocalDate(value)) throw invalid(`${what} must be a date like 2026-12-01.`);
    return value;
  }

  private defaultItemType(): string {
    const types = [...this.ctx.config.get().itemTypes.values()].filter((t) => !t.notForLoan);
    const type = types.find((t) => t.code === 'ILL') ?? types.find((t) => t.code === 'BOOK') ?? types[0];
    if (!type) throw invalid('No item type can be lent: add one under Settings first.');
    return type.code;
  }

  /** The lowest free barcode of the ILL range (the settings', or one at the top of the item barcodes' space). */
  private nextTempBarcode(): string {
    const cfg = this.ctx.config.get();
    const rule = cfg.settings.barcodes.item;
    const s = this.settings();
    const range =
      s.tempBarcodeFirst && s.tempBarcodeLast
        ? { first: s.tempBarcodeFirst, last: s.tempBarcodeLast }
        : defaultRange(rule);
    if (!range) throw invalid('Set aside a barcode range for ILL copies under Settings first.');
    const used = new Set(barcodesInRange(this.ctx, range.first, range.last));
    const barcode = nextRangeBarcode(range, used, rule.checkDigit ? (body) => luhnCheckDigit(body) : null);
    if (!barcode)
      throw new ServiceError(
        'CONFLICT',
        'The barcode range set aside for ILL copies is used up: set aside another under Settings.',
      );
    const valid = validateBarcode(rule, barcode);
    if (!valid.ok) throw invalid(`The ILL barcode range does not make valid item barcodes (${valid.reason}).`);
    return barcode;
  }

  private ensureCategory(tx: Tx, code: string): PatronCategory {
    const cfg = this.ctx.config.get();
    const existing = cfg.categories.get(code);
    if (existing) return existing;
    const category = { id: code, code, name: 'Interlibrary loan', cardValidityDays: 3650 };
    tx.insert('patron_categories', category);
    return category;
  }
}

/** The ILL copies' default barcodes: the highest of the item barcodes' space (a fixed-length numeric rule), e.g. 3999999000001-... */
function defaultRange(rule: {
  length: number | null;
  prefix: string;
  numeric: boolean;
  checkDigit: boolean;
}): { first: string; last: string } | null {
  if (!rule.numeric || rule.length === null) return null;
  const bodyLength = rule.length - (rule.checkDigit ? 1 : 0);
  const seq = 6;
  const fill = bodyLength - rule.prefix.length - seq;
  if (fill < 0) return null;
  const head = rule.prefix + '9'.repeat(fill);
  const withCheck = (body: string) => (rule.checkDigit ? `${body}${luhnCheckDigit(body)}` : body);
  return { first: withCheck(`${head}${'0'.repeat(seq - 1)}1`), last: withCheck(`${head}${'9'.repeat(seq)}`) };
}

function line(value: string | null | undefined, what: string, required: boolean): string | null {
  const v = (value ?? '').trim();
  if (!v) {
    if (required) throw invalid(`${what} is needed.`);
    return null;
  }
  if (v.length > MAX_LINE) throw invalid(`${what} is longer than ${MAX_LINE} characters.`);
  return v;
}

function agencyId(value: string | null | undefined): string {
  const v = (value ?? '').trim();
  if (!v) return '';
  if (!/^([A-Za-z0-9]+:)?[^\s:]+$/.test(v)) throw invalid('An agency id looks like ISIL:US-ABC.');
  return v.includes(':') ? v : `ISIL:${v}`;
}

function addYears(day: string, years: number): string {
  const [y, m, d] = day.split('-');
  return `${Number(y) + years}-${m}-${m === '02' && d === '29' ? '28' : d}`;
}
