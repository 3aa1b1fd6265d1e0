// The names of the journal's commands, written once. An entry's `command` says what staff (or the
// kiosk, a SIP2 account, the station itself) did; the station writes it (runCommand in
// src/services/command.ts), the hub decides by it who may have done it (src/hub/authority.ts,
// src/hub/policy.ts) and how to apply it (src/hub/apply.ts), and the reports and statistics count
// by it. A name in the journal is forever: a stored entry keeps it, so a name is never renamed.
//
// Everything that writes or compares a command name takes it from here (`COMMAND.circulation.checkout`);
// eslint.config.js refuses a command name written as a string literal in the domain, store,
// services, sync and hub. Most names are also the station API method that runs the command
// (src/api/contract.ts); src/api/command-names.check.ts proves at compile time that each is one,
// except the internal commands below.

/** Every journaled command, by area; each value is `<area>.<name>`, checked below. */
export const COMMAND = {
  auth: { lockout: 'auth.lockout', clearLockout: 'auth.clearLockout' },
  branches: { save: 'branches.save' },
  calendar: { addClosedDay: 'calendar.addClosedDay', removeClosedDay: 'calendar.removeClosedDay' },
  catalogue: {
    addRecord: 'catalogue.addRecord',
    updateRecord: 'catalogue.updateRecord',
    deleteRecord: 'catalogue.deleteRecord',
    addItem: 'catalogue.addItem',
    updateItem: 'catalogue.updateItem',
    deleteItem: 'catalogue.deleteItem',
    setItemStatus: 'catalogue.setItemStatus',
    inHouseUse: 'catalogue.inHouseUse',
    importRecords: 'catalogue.importRecords',
  },
  categories: { save: 'categories.save' },
  circulation: {
    checkout: 'circulation.checkout',
    checkin: 'circulation.checkin',
    renew: 'circulation.renew',
    renewAll: 'circulation.renewAll',
  },
  fees: { charge: 'fees.charge', pay: 'fees.pay', waive: 'fees.waive' },
  holds: { place: 'holds.place', cancel: 'holds.cancel', suspend: 'holds.suspend', clearExpired: 'holds.clearExpired' },
  ill: {
    requestBorrowing: 'ill.requestBorrowing',
    send: 'ill.send',
    markShipped: 'ill.markShipped',
    /** A borrowed copy arrived: one item borrowed, for the statistics. */
    receive: 'ill.receive',
    shipBack: 'ill.shipBack',
    /** A lending request recorded; the one command a desk may make configuration with (the ILL patron category, src/hub/policy.ts). */
    recordLending: 'ill.recordLending',
    pull: 'ill.pull',
    /** A lent copy shipped: one item lent, for the statistics. */
    shipLending: 'ill.shipLending',
    cancel: 'ill.cancel',
    markUnfilled: 'ill.markUnfilled',
  },
  itemTypes: { save: 'itemTypes.save' },
  notices: {
    saveSettings: 'notices.saveSettings',
    markPrinted: 'notices.markPrinted',
    retry: 'notices.retry',
    record: 'notices.record',
  },
  patrons: {
    register: 'patrons.register',
    update: 'patrons.update',
    renewCard: 'patrons.renewCard',
    replaceCard: 'patrons.replaceCard',
    setPin: 'patrons.setPin',
    addBlock: 'patrons.addBlock',
    removeBlock: 'patrons.removeBlock',
    importBatch: 'patrons.importBatch',
  },
  /**
   * purgeLoanHistory unlinks returned loans from their patrons once the library's retention period
   * has passed (src/services/privacy.ts). The hub applies its unlinking even to a loan whose return
   * it already holds (src/hub/apply.ts): a link to a patron, once dropped, never comes back.
   */
  privacy: { purgeLoanHistory: 'privacy.purgeLoanHistory' },
  rules: {
    save: 'rules.save',
    delete: 'rules.delete',
    saveLimits: 'rules.saveLimits',
    saveReturnPolicy: 'rules.saveReturnPolicy',
  },
  settings: { update: 'settings.update' },
  setup: { initialize: 'setup.initialize' },
  shelf: { scan: 'shelf.scan' },
  sip2: { saveAccount: 'sip2.saveAccount', removeAccount: 'sip2.removeAccount' },
  staff: { save: 'staff.save', adoptKey: 'staff.adoptKey' },
  /** A sync exception's resolution: a station writes it, the hub applies it to its exception list (src/hub/exceptions.ts). */
  sync: { resolveException: 'sync.resolveException' },
} as const;

type Commands = typeof COMMAND;

/** Any journaled command's name. */
export type CommandName = { [Area in keyof Commands]: Commands[Area][keyof Commands[Area]] }[keyof Commands];

/**
 * Commands a station journals that are not station API methods: the station's housekeeping, the
 * import batches, and a staff account adopting its new key at sign-in.
 */
export const INTERNAL_COMMANDS = [
  COMMAND.auth.lockout,
  COMMAND.catalogue.importRecords,
  COMMAND.notices.record,
  COMMAND.patrons.importBatch,
  COMMAND.privacy.purgeLoanHistory,
  COMMAND.staff.adoptKey,
] as const;
export type InternalCommand = (typeof INTERNAL_COMMANDS)[number];

const ALL_COMMANDS: ReadonlySet<string> = new Set(Object.values(COMMAND).flatMap((area) => Object.values(area)));

/** Whether a name read from outside (a stored or pushed entry) is one of today's commands. */
export const isCommandName = (name: string): name is CommandName => ALL_COMMANDS.has(name);

// Each name is spelled `<area>.<name>` after its place in COMMAND: a typo fails to compile here.
type Spelled = { [Area in keyof Commands & string]: { [Name in keyof Commands[Area] & string]: `${Area}.${Name}` } };
const _spelled: Spelled = COMMAND;
void _spelled;
