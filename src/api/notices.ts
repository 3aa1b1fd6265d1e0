// The notice settings document (Settings › Notices) as the station API and the hub check it.
import { z } from 'zod';
import { NOTICE_LANGUAGES, NOTICE_TEMPLATE_KEYS, unknownPlaceholders, validOverdueDays } from '../domain/notices';

/** A template's text: no placeholder it does not know (a typo would reach patrons as an empty gap). */
const TemplateText = (max: number) =>
  z
    .string()
    .max(max)
    .superRefine((text, ctx) => {
      const unknown = unknownPlaceholders(text);
      if (unknown.length > 0)
        ctx.addIssue({ code: 'custom', message: `unknown placeholder ${unknown.map((u) => `{{${u}}}`).join(', ')}` });
      // eslint-disable-next-line no-control-regex
      if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(text))
        ctx.addIssue({ code: 'custom', message: 'has control characters' });
    });

export const NoticeTemplateSchema = z
  .object({ subject: TemplateText(200).pipe(z.string().min(1)), body: TemplateText(5000).pipe(z.string().min(1)) })
  .strict();

const languages = Object.fromEntries(NOTICE_LANGUAGES.map((l) => [l, NoticeTemplateSchema])) as Record<
  (typeof NOTICE_LANGUAGES)[number],
  typeof NoticeTemplateSchema
>;
export const NoticeTemplatesSchema = z
  .object(
    Object.fromEntries(NOTICE_TEMPLATE_KEYS.map((k) => [k, z.object(languages).strict()])) as Record<
      (typeof NOTICE_TEMPLATE_KEYS)[number],
      z.ZodObject<typeof languages>
    >,
  )
  .strict();

const DaysOrNull = z.number().int().min(1).max(60).nullable();

export const SmtpSettingsSchema = z
  .object({
    host: z
      .string()
      .trim()
      .min(1)
      .max(253)
      .regex(/^[0-9A-Za-z.:_-]+$/, 'is a host name or an address'),
    port: z.number().int().min(1).max(65535),
    secure: z.boolean(),
    user: z
      .string()
      .trim()
      .max(200)
      .regex(/^[^\r\n]*$/)
      .nullable(),
    from: z
      .string()
      .trim()
      .min(3)
      .max(300)
      .regex(/^[^\r\n]*@[^\r\n]*$/, 'is an email address, with a name if you like: Library <desk@library.example>'),
  })
  .strict();

export const NoticeSettingsSchema = z
  .object({
    enabled: z.boolean(),
    courtesyDaysBefore: DaysOrNull,
    overdueDays: z
      .array(z.number().int())
      .refine(
        validOverdueDays,
        'up to three days after the due date, each from 1 to 365 and later than the one before',
      ),
    holdReady: z.boolean(),
    holdExpiringDaysBefore: DaysOrNull,
    lostBills: z.boolean(),
    senderStationId: z.string().min(1).max(64).nullable(),
    smtp: SmtpSettingsSchema.nullable(),
    templates: NoticeTemplatesSchema,
  })
  .strict();
