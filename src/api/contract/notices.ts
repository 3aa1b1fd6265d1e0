// The station API: Notices to patrons (src/services/notices.ts, docs/notices.md).
// One area of the contract; src/api/contract/index.ts assembles the areas into the one table
// (stationApi) and src/station/handlers/notices.ts answers these methods, side by side.
import { z } from 'zod';
import * as S from '../schemas';
import { method, none, type ApiMethod } from './method';
import { NOTICE_KINDS, NOTICE_LANGUAGES } from '../../domain/notices';
import { NoticeSettingsSchema, NoticeTemplateSchema } from '../notices';

export const NoticeSchema = z.object({
  id: z.string(),
  patronId: z.string(),
  kind: z.enum(NOTICE_KINDS),
  level: z.string(),
  channel: z.enum(['email', 'print']),
  language: z.string(),
  status: z.enum(['queued', 'sent', 'printed', 'failed', 'uncertain', 'cancelled']),
  messageId: z.string().nullable(),
  error: z.string().nullable(),
  createdAt: z.number(),
  sentAt: z.number().nullable(),
});

const NoticeRunSchema = z.object({
  skipped: z.enum(['disabled', 'not_sender']).nullable(),
  created: z.number(),
  cancelled: z.number(),
  sent: z.number(),
  waiting: z.number(),
  toPrint: z.number(),
  failed: z.number(),
  uncertain: z.number(),
  lastError: z.string().nullable(),
});

const NoticeViewSchema = z.object({
  settings: NoticeSettingsSchema,
  stationId: z.string(),
  isSender: z.boolean(),
  smtpPasswordSet: z.boolean(),
  lastRun: z.object({ at: z.number(), result: NoticeRunSchema }).nullable(),
});

export const noticesApi = {
  /** The library's notice settings, and whether this station sends them and holds the SMTP password (never the password itself). */
  'notices.settings': method('query', 'settings', none, NoticeViewSchema),
  /** Saves the settings (journaled, synced); the SMTP password, when given, stays on this station (null forgets it). */
  'notices.saveSettings': method(
    'command',
    'settings',
    z
      .object({
        settings: NoticeSettingsSchema,
        smtpPassword: z
          .string()
          .max(500)
          .regex(/^[^\r\n]*$/)
          .nullable()
          .optional(),
      })
      .strict(),
    NoticeViewSchema,
  ),
  /** A template filled with sample values, in a language, for the editor's preview. */
  'notices.preview': method(
    'query',
    'settings',
    z.object({ template: NoticeTemplateSchema, language: z.enum(NOTICE_LANGUAGES) }).strict(),
    z.object({ subject: z.string(), body: z.string() }),
  ),
  /** "Send now": one notice pass at once (what the scheduler runs every few minutes). */
  'notices.run': method('command', 'settings', none, NoticeRunSchema),
  /** What waits: email queued, letters to print, notices failed or uncertain. */
  'notices.status': method(
    'query',
    'circulate',
    none,
    z.object({
      counts: z.object({ queuedEmail: z.number(), queuedPrint: z.number(), failed: z.number(), uncertain: z.number() }),
      attention: z.array(NoticeSchema),
      isSender: z.boolean(),
      enabled: z.boolean(),
    }),
  ),
  /** A patron's notices, newest first. */
  'notices.forPatron': method('query', 'manage_patrons', z.object({ patronId: S.Id }).strict(), z.array(NoticeSchema)),
  /** The letters waiting to be printed, as one HTML page (one letter a page, the address for a window envelope). */
  'notices.letters': method('query', 'circulate', none, z.object({ html: z.string(), ids: z.array(z.string()) })),
  'notices.markPrinted': method(
    'command',
    'circulate',
    z.object({ ids: z.array(S.Id).min(1).max(1000) }).strict(),
    z.object({ printed: z.number() }),
  ),
  /** Sends again a notice that failed or may not have gone out (same Message-ID). */
  'notices.retry': method('command', 'circulate', z.object({ id: S.Id }).strict(), NoticeSchema),
} as const satisfies Record<string, ApiMethod>;
