// What a SIP2 account (a self-check, a sorter, a gate) may do, and the station commands each
// capability covers. The station checks it before running a SIP2 request (src/transports/sip2),
// and the hub checks it again for every entry a SIP2 account's requests wrote
// (src/hub/authority.ts): one table for both.
import { COMMAND, type CommandName } from './commands';

export const SIP2_CAPABILITIES = [
  'checkout',
  'checkin',
  'renew',
  'fees',
  'hold',
  'patron_info',
  'block',
  'status_before_login',
] as const;
export type Sip2Capability = (typeof SIP2_CAPABILITIES)[number];

/** What a new account may do unless told otherwise: a self-check's usual work. */
export const DEFAULT_SIP2_CAPABILITIES: Sip2Capability[] = [
  'checkout',
  'checkin',
  'renew',
  'patron_info',
  'status_before_login',
];

/** The journaled station commands a SIP2 account's requests run, by the capability each needs. */
export const SIP2_COMMANDS: Partial<Record<CommandName, Sip2Capability>> = {
  [COMMAND.circulation.checkout]: 'checkout',
  [COMMAND.circulation.checkin]: 'checkin',
  [COMMAND.circulation.renew]: 'renew',
  [COMMAND.circulation.renewAll]: 'renew',
  [COMMAND.fees.pay]: 'fees',
  [COMMAND.holds.place]: 'hold',
  [COMMAND.holds.cancel]: 'hold',
  [COMMAND.patrons.addBlock]: 'block',
};

/** Capabilities from their comma-separated form (as stored); unknown words are dropped. */
export function parseCapabilities(text: string): Sip2Capability[] {
  const known = new Set<string>(SIP2_CAPABILITIES);
  return [
    ...new Set(
      text
        .split(',')
        .map((w) => w.trim())
        .filter((w): w is Sip2Capability => known.has(w)),
    ),
  ];
}

export const formatCapabilities = (caps: readonly Sip2Capability[]): string =>
  SIP2_CAPABILITIES.filter((c) => caps.includes(c)).join(',');
