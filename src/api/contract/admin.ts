// The station API: The library's configuration: settings, branches, calendar, categories, item types, rules, staff, SIP2 accounts, data in and out.
// One area of the contract; src/api/contract/index.ts assembles the areas into the one table
// (stationApi) and src/station/handlers/admin.ts answers these methods, side by side.
import { z } from 'zod';
import * as S from '../schemas';
import { method, none, ok, type ApiMethod } from './method';
import { SIP2_CAPABILITIES } from '../../domain/sip2-capabilities';

export const Sip2AccountSchema = z.object({
  id: z.string(),
  login: z.string(),
  branchId: z.string(),
  allowed: z.array(z.enum(SIP2_CAPABILITIES)),
  requirePin: z.boolean(),
  errorDetection: z.boolean(),
  active: z.boolean(),
  createdAt: z.number(),
  updatedAt: z.number(),
});

const Sip2SettingsOutput = z.object({
  enabled: z.boolean(),
  port: z.number(),
  host: z.string(),
  listening: z.boolean(),
  /** The port the listener opened (it may differ when the command line named one). */
  listeningPort: z.number().nullable(),
  connections: z.number(),
  error: z.string().nullable(),
});

export const adminApi = {
  'settings.get': method('query', 'staff', none, S.LibrarySettingsOutputSchema),
  'settings.update': method(
    'command',
    'settings',
    S.LibrarySettingsSchema.partial().strict(),
    S.LibrarySettingsOutputSchema,
  ),
  'branches.list': method(
    'query',
    'public',
    none,
    z.array(z.object({ id: z.string(), code: z.string(), name: z.string(), timeZone: z.string() })),
  ),
  'branches.save': method(
    'command',
    'settings',
    z
      .object({ id: S.Id.nullable().optional(), code: S.Code, name: S.RequiredLine(200), timeZone: S.TimeZone })
      .strict(),
    z.object({ id: z.string(), code: z.string(), name: z.string(), timeZone: z.string() }),
  ),
  'calendar.list': method(
    'query',
    'staff',
    z.object({ branchId: S.Id }).strict(),
    z.array(z.record(z.string(), z.unknown())),
  ),
  'calendar.addClosedDay': method(
    'command',
    'edit_rules',
    z.object({ branchId: S.Id, day: S.ClosedDaySchema }).strict(),
    z.object({ id: z.string() }),
  ),
  'calendar.removeClosedDay': method('command', 'edit_rules', z.object({ id: S.Id }).strict(), ok),
  'categories.list': method(
    'query',
    'staff',
    none,
    z.array(z.object({ code: z.string(), name: z.string(), cardValidityDays: z.number() })),
  ),
  'categories.save': method(
    'command',
    'edit_rules',
    z
      .object({ code: S.Code, name: S.RequiredLine(100), cardValidityDays: z.number().int().min(1).max(36500) })
      .strict(),
    z.object({ code: z.string(), name: z.string(), cardValidityDays: z.number() }),
  ),
  // at most 512 KB (base64), under the HTTP body limit.
  'import.upload': method(
    'command',
    'settings',
    z.object({ uploadId: z.string().max(64).nullable(), chunk: z.string().max(700_000) }).strict(),
    z.object({ uploadId: z.string(), bytes: z.number() }),
  ),
  'import.start': method(
    'command',
    'settings',
    z
      .object({
        uploadId: z.string().max(64),
        kind: z.enum(['marc', 'patrons']),
        dryRun: z.boolean(),
        defaultItemType: S.Code.nullable().optional(),
        defaultCategory: S.Code.nullable().optional(),
      })
      .strict(),
    z.object({ jobId: z.string() }),
  ),
  'import.status': method(
    'query',
    'settings',
    z.object({ jobId: z.string().max(64) }).strict(),
    z.object({
      state: z.enum(['running', 'done', 'failed']),
      kind: z.enum(['marc', 'patrons']),
      read: z.number(),
      bytes: z.number(),
      totalBytes: z.number(),
      report: z
        .object({
          dryRun: z.boolean(),
          read: z.number(),
          added: z.number(),
          updated: z.number(),
          copies: z.number(),
          skipped: z.number(),
          skippedRows: z.array(z.object({ position: z.number(), id: z.string().nullable(), reason: z.string() })),
        })
        .nullable(),
      error: z.string().nullable(),
    }),
  ),
  /** Every patron as CSV (Koha's column names; no PIN, loans or history). */
  'export.patrons': method('query', 'settings', none, z.object({ csv: z.string(), patrons: z.number() })),
  /** Koha's .koc or Evergreen's offline file of a span of days; the entries it carries are marked exported. */
  'export.offline': method(
    'command',
    'settings',
    z
      .object({
        format: z.enum(['koc', 'evergreen']),
        from: S.LocalDate,
        to: S.LocalDate,
        again: z.boolean().optional(),
      })
      .strict(),
    z.object({ text: z.string(), transactions: z.number(), skipped: z.number() }),
  ),
  'itemTypes.list': method(
    'query',
    'staff',
    none,
    z.array(z.object({ code: z.string(), name: z.string(), notForLoan: z.boolean() })),
  ),
  'itemTypes.save': method(
    'command',
    'edit_rules',
    z.object({ code: S.Code, name: S.RequiredLine(100), notForLoan: z.boolean() }).strict(),
    z.object({ code: z.string(), name: z.string(), notForLoan: z.boolean() }),
  ),
  'rules.list': method(
    'query',
    'staff',
    none,
    z.object({
      rules: z.array(CirculationRuleOut()),
      patronLimits: z.array(PatronLimitsOut()),
      branchItemPolicies: z.array(ReturnPolicyOut()),
    }),
  ),
  'rules.save': method('command', 'edit_rules', S.CirculationRuleSchema, CirculationRuleOut()),
  'rules.delete': method('command', 'edit_rules', z.object({ id: S.Id }).strict(), ok),
  /** A patron's totals across item types, per branch x category (`*` for any): loans and holds at once. */
  'rules.saveLimits': method('command', 'edit_rules', PatronLimitsSchemaOf(), PatronLimitsOut()),
  /** Where a returned item goes, per branch x item type (`*` for any): its home, where it was returned, or it stays. */
  'rules.saveReturnPolicy': method('command', 'edit_rules', ReturnPolicySchemaOf(), ReturnPolicyOut()),
  'sip2.accounts': method('query', 'settings', none, z.array(Sip2AccountSchema)),
  /** Adds or changes a SIP2 account; a new one needs a password, an existing one keeps its own unless given one. */
  'sip2.saveAccount': method(
    'command',
    'settings',
    z
      .object({
        id: S.Id.nullable().optional(),
        login: S.RequiredLine(64),
        password: z.string().min(6).max(200).nullable().optional(),
        branchId: S.Id,
        allowed: z.array(z.enum(SIP2_CAPABILITIES)).max(SIP2_CAPABILITIES.length),
        requirePin: z.boolean().optional(),
        errorDetection: z.boolean().optional(),
        active: z.boolean().optional(),
      })
      .strict(),
    Sip2AccountSchema,
  ),
  'sip2.removeAccount': method('command', 'settings', z.object({ id: S.Id }).strict(), ok),
  /** This station's SIP2 listener: the setting, and whether it is listening now. */
  'sip2.settings': method('query', 'settings', none, Sip2SettingsOutput),
  'sip2.saveSettings': method(
    'command',
    'settings',
    z
      .object({ enabled: z.boolean(), port: z.number().int().min(1).max(65535), host: S.SingleLine(253).trim().min(1) })
      .strict(),
    Sip2SettingsOutput,
  ),
  'staff.list': method('query', 'manage_staff', none, z.array(S.StaffAccountSchema)),
  'staff.save': method(
    'command',
    'manage_staff',
    z
      .object({
        id: S.Id.nullable().optional(),
        username: S.RequiredLine(40).min(2),
        displayName: S.RequiredLine(100),
        role: z.enum(['technician', 'supervisor', 'admin']),
        branchId: S.Id.nullable().optional(),
        password: z.string().min(8).max(200).nullable().optional(),
        active: z.boolean().optional(),
      })
      .strict(),
    S.StaffAccountSchema,
  ),
} as const satisfies Record<string, ApiMethod>;

function PatronLimitsSchemaOf() {
  return z
    .object({
      branchId: S.Id,
      categoryCode: S.Code,
      totalMaxLoans: z.number().int().min(0).max(10_000).nullable(),
      maxHolds: z.number().int().min(0).max(10_000).nullable(),
    })
    .strict();
}

function ReturnPolicySchemaOf() {
  return z
    .object({
      branchId: S.Id,
      itemTypeCode: S.Code,
      returnPolicy: z.enum(['home_branch', 'holding_branch', 'stays']),
    })
    .strict();
}

/** A stored row of patron limits: what rules.saveLimits answers and rules.list lists (`*` for any branch or category). */
function PatronLimitsOut() {
  return z.object({
    id: z.string(),
    branchId: z.string(),
    categoryCode: z.string(),
    totalMaxLoans: z.number().nullable(),
    maxHolds: z.number().nullable(),
  });
}

/** A stored return policy: what rules.saveReturnPolicy answers and rules.list lists. */
function ReturnPolicyOut() {
  return z.object({
    id: z.string(),
    branchId: z.string(),
    itemTypeCode: z.string(),
    returnPolicy: ReturnPolicySchemaOf().shape.returnPolicy,
  });
}

function CirculationRuleOut() {
  return S.CirculationRuleSchema.extend({ id: z.string() });
}
