// Patrons: registration, editing, cards, PINs, blocks, and what the desk sees of a patron.
import { validateBarcode } from '../domain/barcode';
import { refusal } from '../domain/refusals';
import { addDays, isValidLocalDate, localDateOf } from '../domain/time';
import { isMultiLineText, isSingleLineText, withoutControlCharacters } from '../domain/text';
import type { BlockKind, Hold, Patron, PatronBlock } from '../domain/types';
import { FineAccrual, type AccruingFine } from './accrual';
import { runCommand, type Actor } from './command';
import type { ServiceContext } from './context';
import { invalid, notFound, refused, ServiceError } from './errors';
import { FeeService, type FeeLine } from './fees';
import type { Lookups, PatronRow } from './lookups';
import { deleteKioskSessionsOf } from '../store/queries/auth';
import {
  activeHoldLinesOfPatron,
  openLoanLinesOfPatron,
  patronsMatching,
  readingHistoryOf,
} from '../store/queries/patrons';
import { hashSecret, verifySecretAsync } from '../shared/secrets';
import { COMMAND } from '../domain/commands';

export interface PatronInput {
  cardBarcode: string;
  firstName: string;
  lastName: string;
  email?: string | null;
  phone?: string | null;
  address?: string | null;
  homeBranchId?: string | null;
  categoryCode: string;
  cardExpiresOn?: string | null;
  notes?: string;
  keepReadingHistory?: boolean;
  language?: 'en' | 'es' | null;
  noticeChannel?: 'email' | 'print' | null;
  /** Kiosk PIN, 4 to 8 digits. Hashed at once; never journaled. */
  pin?: string | null;
}

/** What the desk shows when a card is scanned. */
export interface PatronSummary {
  patron: Omit<Patron, 'blocks'> & { hasPin: boolean };
  categoryName: string;
  blocks: PatronBlock[];
  /** Charged fees still owed plus the fines open loans have accrued (what the fines limit counts). */
  feesOwed: number;
  /** The accrued part of feesOwed: fines of copies not yet back, charged when they are (src/services/accrual.ts). */
  accruedFines: number;
  currency: string;
  fees: FeeLine[];
  accruing: AccruingFine[];
  loans: {
    loanId: string;
    itemId: string;
    itemBarcode: string;
    title: string;
    dueAt: number;
    renewals: number;
    overdue: boolean;
  }[];
  holds: (Hold & { title: string })[];
  holdsReady: number;
}

const PIN_PATTERN = /^\d{4,8}$/;

export class PatronService {
  private readonly find: Lookups;
  private readonly accrual: FineAccrual;
  private readonly fees: FeeService;

  constructor(private readonly ctx: ServiceContext) {
    this.find = ctx.circulation;
    this.accrual = new FineAccrual(ctx);
    this.fees = new FeeService(ctx);
  }

  private cardBarcode(raw: string): string {
    const result = validateBarcode(this.ctx.config.get().settings.barcodes.patron, raw);
    if (!result.ok) throw refused([refusal('BARCODE_INVALID', { kind: 'patron', reason: result.reason })]);
    return result.barcode;
  }

  private checkInput(input: PatronInput): void {
    if (!input.firstName.trim() || !input.lastName.trim()) throw invalid('First and last name are required.');
    if (!this.ctx.config.get().categories.has(input.categoryCode))
      throw invalid(`Unknown patron category ${input.categoryCode}.`);
    if (input.pin != null && !PIN_PATTERN.test(input.pin)) throw invalid('A PIN is 4 to 8 digits.');
    if (input.email && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(input.email))
      throw invalid('That email address is not valid.');
    // The API schemas check these too; services are also called without them (tests, tools).
    for (const v of [input.firstName, input.lastName, input.email, input.phone]) {
      if (v != null && (v.length > 200 || !isSingleLineText(v)))
        throw invalid('Names, email and phone are one line each, without control characters.');
    }
    if (input.address != null && (input.address.length > 400 || !isMultiLineText(input.address)))
      throw invalid('An address is at most 400 characters, without control characters.');
    if (input.notes != null && (input.notes.length > 2000 || !isMultiLineText(input.notes)))
      throw invalid('Notes are at most 2000 characters, without control characters.');
    if (input.cardExpiresOn != null && !isValidLocalDate(input.cardExpiresOn))
      throw invalid('The card expiry must be a calendar date like 2027-06-30.');
  }

  register(input: PatronInput, actor: Actor): PatronSummary {
    this.checkInput(input);
    const cardBarcode = this.cardBarcode(input.cardBarcode);
    const cfg = this.ctx.config.get();
    const { branchId } = this.ctx.identity();
    const homeBranchId = input.homeBranchId ?? branchId;
    const home = cfg.branches.get(homeBranchId);
    if (!home) throw invalid('Unknown home branch.');
    const category = cfg.categories.get(input.categoryCode)!;
    const now = this.ctx.now();
    const patron: PatronRow = {
      id: this.ctx.newId(),
      cardBarcode,
      firstName: input.firstName.trim(),
      lastName: input.lastName.trim(),
      email: input.email?.trim() || null,
      phone: input.phone?.trim() || null,
      address: input.address?.trim() || null,
      homeBranchId,
      categoryCode: input.categoryCode,
      cardExpiresOn: input.cardExpiresOn ?? addDays(localDateOf(now, home.timeZone), category.cardValidityDays),
      pinHash: input.pin ? hashSecret(input.pin) : null,
      notes: input.notes ?? '',
      keepReadingHistory: input.keepReadingHistory ?? false,
      createdAt: now,
      language: input.language ?? null,
      noticeChannel: input.noticeChannel ?? null,
    };
    const { pin: _pin, ...journaled } = input;
    runCommand(
      this.ctx,
      { command: COMMAND.patrons.register, input: { ...journaled, cardBarcode }, actor, summary: 'register patron' },
      (tx) => {
        if (this.find.patronByCard(cardBarcode))
          throw new ServiceError('CONFLICT', 'That card barcode belongs to another patron.');
        tx.upsert('patrons', patron);
      },
    );
    return this.summary(patron.id);
  }

  update(patronId: string, changes: Partial<Omit<PatronInput, 'cardBarcode' | 'pin'>>, actor: Actor): PatronSummary {
    const existing = this.require(patronId);
    // A card always has an expiry (the column is required): an edit may move it, not clear it.
    if (changes.cardExpiresOn === null) throw invalid('A card needs an expiry date; renew the card to extend it.');
    if (changes.homeBranchId === null) throw invalid('A patron needs a home branch.');
    const merged = { ...existing, ...stripUndefined(changes) } as PatronRow;
    this.checkInput({ ...merged, pin: null });
    if (!this.ctx.config.get().branches.has(merged.homeBranchId)) throw invalid('Unknown home branch.');
    runCommand(
      this.ctx,
      { command: COMMAND.patrons.update, input: { patronId, changes }, actor, summary: 'edit patron' },
      (tx) => {
        tx.upsert('patrons', merged);
      },
    );
    return this.summary(patronId);
  }

  /** Extends the card from today (or from its expiry, if later) by the category's validity. */
  renewCard(patronId: string, actor: Actor): PatronSummary {
    const p = this.require(patronId);
    const cfg = this.ctx.config.get();
    const home = cfg.branches.get(p.homeBranchId);
    const today = localDateOf(this.ctx.now(), home?.timeZone ?? 'UTC');
    const base = p.cardExpiresOn > today ? p.cardExpiresOn : today;
    const validity = cfg.categories.get(p.categoryCode)?.cardValidityDays ?? 365;
    runCommand(
      this.ctx,
      { command: COMMAND.patrons.renewCard, input: { patronId }, actor, summary: 'renew card' },
      (tx) => {
        tx.upsert('patrons', { ...p, cardExpiresOn: addDays(base, validity) });
      },
    );
    return this.summary(patronId);
  }

  /** A new card for a lost one: the old barcode stops working at once. */
  replaceCard(patronId: string, newBarcode: string, actor: Actor): PatronSummary {
    const p = this.require(patronId);
    const cardBarcode = this.cardBarcode(newBarcode);
    runCommand(
      this.ctx,
      { command: COMMAND.patrons.replaceCard, input: { patronId, cardBarcode }, actor, summary: 'replace card' },
      (tx) => {
        const holder = this.find.patronByCard(cardBarcode);
        if (holder && holder.id !== patronId)
          throw new ServiceError('CONFLICT', 'That card barcode belongs to another patron.');
        tx.upsert('patrons', { ...p, cardBarcode });
        // The block for the lost card goes with the old card.
        for (const b of this.find.withBlocks(p).blocks) if (b.kind === 'lost_card') tx.delete('patron_blocks', b.id);
      },
    );
    return this.summary(patronId);
  }

  setPin(patronId: string, pin: string, actor: Actor): void {
    if (!PIN_PATTERN.test(pin)) throw invalid('A PIN is 4 to 8 digits.');
    const p = this.require(patronId);
    // The journal records that a PIN was set, and a reference to the hash the hub needs; never the PIN.
    runCommand(this.ctx, { command: COMMAND.patrons.setPin, input: { patronId }, actor, summary: 'set PIN' }, (tx) => {
      tx.upsert('patrons', { ...p, pinHash: hashSecret(pin) });
    });
    // Whoever signed in at a kiosk with the old PIN is out.
    deleteKioskSessionsOf(this.ctx, patronId);
  }

  /** The patron a card belongs to, if any: whose lockout a kiosk sign-in counts against. */
  cardHolder(cardBarcode: string): PatronRow | null {
    return this.find.patronByCard(cardBarcode.trim()) ?? null;
  }

  /**
   * Checks a kiosk sign-in (off the event loop); returns the patron when card and PIN match. An
   * unknown card, or a patron with no PIN, costs the same time as a wrong PIN, so that none of
   * them is told apart. The lockout around it is AuthService.kioskSignIn's.
   */
  async verifyPin(cardBarcode: string, pin: string): Promise<PatronRow | null> {
    const row = this.find.patronByCard(cardBarcode.trim());
    return (await verifySecretAsync(pin, row?.pinHash)) && row ? row : null;
  }

  addBlock(
    patronId: string,
    block: { kind: BlockKind; reason: string; until?: string | null },
    actor: Actor,
  ): PatronSummary {
    this.require(patronId);
    if (!block.reason.trim()) throw invalid('A block needs a reason.');
    if (block.until != null && !isValidLocalDate(block.until))
      throw invalid('The block end must be a calendar date like 2026-12-31.');
    runCommand(
      this.ctx,
      { command: COMMAND.patrons.addBlock, input: { patronId, ...block }, actor, summary: `block ${block.kind}` },
      (tx) => {
        tx.upsert('patron_blocks', {
          id: this.ctx.newId(),
          patronId,
          kind: block.kind,
          reason: block.reason.trim(),
          until: block.until ?? null,
          createdAt: this.ctx.now(),
        });
      },
    );
    return this.summary(patronId);
  }

  removeBlock(blockId: string, actor: Actor): void {
    const block = this.ctx.rows.get<PatronBlock & { patronId: string }>('patron_blocks', blockId);
    if (!block) throw notFound('block');
    runCommand(
      this.ctx,
      { command: COMMAND.patrons.removeBlock, input: { blockId }, actor, summary: 'lift block' },
      (tx) => {
        tx.delete('patron_blocks', blockId);
      },
    );
  }

  require(patronId: string): PatronRow {
    const p = this.find.patronById(patronId);
    if (!p) throw notFound('patron');
    return p;
  }

  lookup(cardBarcode: string, actor?: Actor): PatronSummary {
    const barcode = this.cardBarcode(cardBarcode);
    const row = this.find.patronByCard(barcode);
    if (!row) throw refused([refusal('PATRON_NOT_FOUND', { barcode })]);
    if (actor?.kind === 'kiosk' && actor.patronId !== row.id) throw new ServiceError('FORBIDDEN', 'Not your card.');
    return this.summary(row.id);
  }

  summary(patronId: string): PatronSummary {
    const row = this.require(patronId);
    const { pinHash, ...patron } = row;
    const cfg = this.ctx.config.get();
    const now = this.ctx.now();
    const loans = openLoanLinesOfPatron(this.ctx, patronId).map((l) => ({ ...l, overdue: l.dueAt < now }));
    const holds = activeHoldLinesOfPatron(this.ctx, patronId);
    const blocks = this.find.withBlocks(row).blocks;
    const accrual = this.accrual.forPatron(row, now);
    return {
      patron: { ...patron, hasPin: !!pinHash },
      categoryName: cfg.categories.get(row.categoryCode)?.name ?? row.categoryCode,
      blocks,
      feesOwed: this.find.feesOwed(patronId) + accrual.total,
      accruedFines: accrual.total,
      currency: cfg.settings.currency,
      fees: this.fees.open(patronId),
      accruing: accrual.fines,
      loans,
      holds,
      holdsReady: holds.filter((h) => h.status === 'waiting').length,
    };
  }

  /** Search by name, card, email or phone, with prefix matching ("mar gar" finds María García). */
  search(
    query: string,
    limit = 25,
  ): { id: string; cardBarcode: string; firstName: string; lastName: string; email: string | null }[] {
    const match = ftsPrefixQuery(query);
    if (!match) return [];
    return patronsMatching(this.ctx, match, limit);
  }

  /** Only for patrons who chose to keep a reading history. */
  readingHistory(patronId: string): { title: string; itemBarcode: string; checkedOutAt: number; returnedAt: number }[] {
    const p = this.require(patronId);
    if (!p.keepReadingHistory) return [];
    return readingHistoryOf(this.ctx, patronId);
  }
}

/** A word of digits, whole or written in groups as ISBNs and phone numbers are: "978-0-14", "555.123", "+1", "0-14-118280-X". */
const DIGIT_WORD = /^\+?\d[\d.-]*[Xx]?$/;

/**
 * Turns what staff type into a safe FTS5 prefix query: each word quoted, with a trailing `*`,
 * every word required.
 *
 * Digits typed in groups are also looked for as one run: the catalogue keeps ISBNs without
 * hyphens or spaces (src/services/catalogue.ts), one token, so "978-0-14" or "978 0 14" finds
 * 9780141182803 (and "555-123" finds a phone number kept as 5551234567), while the groups as
 * typed still find what is kept with them ("555-123" finds 555-123-4567).
 *
 * The other way round, "5551234" finds (555) 123-4567 because the patron index also keeps each
 * phone number's digits as one run (migration 0004): FTS5 cannot join the tokens of a number
 * written in groups, and trying every grouping in the query was measured at 35 to 170 ms a
 * search on 200,000 patrons.
 */
export function ftsPrefixQuery(text: string): string | null {
  // Control characters (a NUL, say) have no place in a search and upset FTS5: they become spaces.
  const words = withoutControlCharacters(text)
    .normalize('NFKC')
    .split(/[\s,;]+/)
    .map((w) => w.replace(/["*^:()]/g, ''))
    .filter((w) => w.length > 0);
  if (words.length === 0) return null;
  const term = (w: string) => `"${w}"*`;
  const run = (w: string) => w.replace(/[.+-]/g, '');
  const grouped = (w: string) => /[.-]/.test(w);
  // An ISBN-10's check digit X may stand on its own at the end ("0 06 085052 X").
  const digitGroups = words.every(
    (w, i) => DIGIT_WORD.test(w) || (i > 0 && i === words.length - 1 && /^[Xx]$/.test(w)),
  );
  if (words.length > 1 && digitGroups) {
    // "978 0 14", "(555) 123 4567": one run of digits, or every group as typed.
    return `${term(words.map(run).join(''))} OR (${words.map(term).join(' AND ')})`;
  }
  return words
    .map((w) => (DIGIT_WORD.test(w) && grouped(w) ? `(${term(run(w))} OR ${term(w)})` : term(w)))
    .join(' AND ');
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
